"""Linked documents → text: chosen by what arrived, with page and text limits. Pure, no network."""
import io

import pypdf

from tests.feeds import pdfs
from tracker.feeds.documents import MAX_DOCUMENT_TEXT, document_text


def many_pages(count: int) -> bytes:
    page = pypdf.PdfReader(io.BytesIO(pdfs.text_pdf("Gazette page"))).pages[0]
    writer = pypdf.PdfWriter()
    for _ in range(count):
        writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_the_parser_is_chosen_by_what_arrived_not_by_the_link():
    assert document_text(pdfs.text_pdf("Act No. XXI"), "text/html").text == "Act No. XXI"  # a PDF sent as HTML
    html = b"<html><body><nav>Menu</nav><main><h1>Notice</h1><p>Online grooming</p><script>x()</script></main>"
    assert document_text(html, "application/octet-stream").text == "Notice Online grooming"
    assert "neither HTML nor PDF" in document_text(b"\x89PNG....", "image/png").error


def test_only_the_first_pages_of_a_long_pdf_are_read():
    read = document_text(many_pages(5), "application/pdf", max_pages=3)
    assert read.text.count("Gazette page") == 3 and "first 3 of 5 pages" in read.note


def test_text_is_capped():
    body = b"<html><body><p>" + b"word " * (MAX_DOCUMENT_TEXT // 2) + b"</p></body></html>"
    assert len(document_text(body, "text/html").text) == MAX_DOCUMENT_TEXT
