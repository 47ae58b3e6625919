from accounts.tests.test_account_mail import smtp_server  # noqa: F401 (a real SMTP server: aiosmtpd)
