"""Linked documents (a Gazette notice, a press release) → text the matcher reads. Pure: bytes in, text out.

The parser is chosen by what arrived (PDF or HTML), as reader does, not by what the link promised.
PDF text comes from pypdf (pure Python, maintained, refuses encrypted files plainly and caps what a
compressed stream may expand to); a page limit and a text limit bound the work a hostile file can cause.
"""
import io
import logging
import re
from dataclasses import dataclass

import pypdf
from pypdf.errors import LimitReachedError, PdfReadError, PyPdfError
from selectolax.lexbor import LexborHTMLParser

MAX_PDF_PAGES = 30
MAX_DOCUMENT_TEXT = 50_000
# A content stream that inflates beyond this is a decompression bomb, not a Gazette notice.
MAX_INFLATED = 20 * 1024 * 1024


# Extracted text may hold NUL and other controls (PDF fonts do); PostgreSQL refuses NUL, nobody reads them.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def clean_text(text: str) -> str:
    return " ".join(_CONTROLS.sub(" ", text).split())[:MAX_DOCUMENT_TEXT]


@dataclass(frozen=True)
class DocumentText:
    text: str
    note: str | None = None   # stored with the item: e.g. a scanned PDF without a text layer
    error: str | None = None  # the document could not be read; recorded on the source


def document_text(body: bytes, content_type: str | None, *, max_pages: int = MAX_PDF_PAGES) -> DocumentText:
    kind = (content_type or "").split(";")[0].strip().lower()
    if body[:5] == b"%PDF-" or kind == "application/pdf":
        return pdf_text(body, max_pages=max_pages)
    head = body[:2048].lower()
    if "html" in kind or b"<html" in head or b"<!doctype html" in head or b"<body" in head:
        return html_text(body)
    if kind.startswith("text/plain"):
        return DocumentText(clean_text(body[:MAX_DOCUMENT_TEXT * 4].decode("utf-8", "replace")))
    return DocumentText("", error=f"the linked document is {kind or 'of an unknown type'}, neither HTML nor PDF")


def html_text(body: bytes) -> DocumentText:
    try:
        tree = LexborHTMLParser(body)
        for node in tree.css("script, style, noscript, nav, header, footer"):
            node.decompose()
        root = tree.css_first("main") or tree.css_first("article") or tree.body
        text = clean_text(root.text(separator=" ", strip=True) if root else "")
    except Exception as exc:
        return DocumentText("", error=f"the linked page could not be read ({exc.__class__.__name__})")
    if not text:
        return DocumentText("", note="the linked page has no text")
    return DocumentText(text)


def pdf_text(body: bytes, *, max_pages: int = MAX_PDF_PAGES) -> DocumentText:
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # a malformed file is reported once, by us
    # pypdf's own caps on inflated streams, tightened for this call: a notice is a few pages of text.
    with pypdf.apply_configuration(**{name: MAX_INFLATED for name in PDF_LIMITS}):
        return _pdf_text(body, max_pages)


PDF_LIMITS = ("maximum_declared_stream_length", "array_based_stream_maximum_output_length",
              "jbig2_maximum_output_length", "lzw_maximum_output_length", "run_length_maximum_output_length",
              "zlib_maximum_output_length", "brotli_maximum_output_length")


def _pdf_text(body: bytes, max_pages: int) -> DocumentText:
    try:
        reader = pypdf.PdfReader(io.BytesIO(body), strict=False)
        if reader.is_encrypted:
            return DocumentText("", error="the linked PDF is encrypted; its text cannot be read")
        pages = reader.pages
        count = len(pages)
        texts, total = [], 0
        for page in list(pages)[:max_pages]:
            contents = page.get_contents()
            if contents is not None:
                contents.get_data()  # decoded here so a bomb raises LimitReachedError (text extraction hides it)
            chunk = page.extract_text() or ""
            texts.append(chunk)
            total += len(chunk)
            if total > MAX_DOCUMENT_TEXT:
                break
    except Exception as exc:
        name = exc.__class__.__name__
        if isinstance(exc, LimitReachedError | MemoryError):
            return DocumentText("", error="the linked PDF expands beyond the size limit (a decompression bomb?); "
                                          "not read")
        if isinstance(exc, PdfReadError | PyPdfError | ValueError | KeyError | TypeError | AttributeError):
            return DocumentText("", error=f"the linked PDF is damaged or not a PDF ({name})")
        return DocumentText("", error=f"the linked PDF could not be read ({name})")
    text = clean_text(" ".join(texts))
    note = f"only the first {max_pages} of {count} pages were read" if count > max_pages else None
    if not text:
        return DocumentText("", note="scanned PDF: it has no text layer, so only its title was matched; "
                                     "read the document itself")
    return DocumentText(text, note=note)
