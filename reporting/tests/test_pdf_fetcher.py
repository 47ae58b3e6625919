import pytest

from reporting.pdf import INTERNAL_BASE_URL, RefusedURL, html_to_pdf, pdf_text, static_response


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1/",
        "https://example.org/logo.png",
        "ftp://127.0.0.1/x",
        INTERNAL_BASE_URL + "static/../../etc/passwd",
        INTERNAL_BASE_URL + "media/reports/secret.pdf",
    ],
)
def test_fetcher_refuses_anything_but_app_static_files(url):
    with pytest.raises(RefusedURL):
        static_response(url)


def test_fetcher_serves_the_apps_own_stylesheet():
    response = static_response(INTERNAL_BASE_URL + "static/css/app.css")
    assert response.headers["Content-Type"] == "text/css"


def test_a_pdf_never_contains_a_server_file_or_network_resource():
    html = (
        "<html><body><h1>Report</h1>"
        '<img src="file:///etc/passwd"><img src="http://127.0.0.1/x.png">'
        '<link rel="attachment" href="file:///etc/passwd">'
        '<iframe src="file:///etc/hostname"></iframe>'
        "<p>Figure 42</p></body></html>"
    )
    pdf = html_to_pdf(html)
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    assert "Figure 42" in text
    assert "root:" not in text
    assert b"/EmbeddedFile" not in pdf
