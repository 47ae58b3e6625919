"""`make bench`: see bench/harness.py and bench/README.md."""

from bench.harness import main

if __name__ == "__main__":
    main()
