"""Parsing golden files from feedparser's and Miniflux's test suites, and hostile documents."""
from datetime import datetime, timezone
from pathlib import Path

import pytest

from tracker.feeds.parsing import parse_feed, plain_text, sanitise_html

FIXTURES = Path(__file__).resolve().parents[3] / "shared" / "fixtures"
needs_fixtures = pytest.mark.skipif(not FIXTURES.is_dir(), reason=f"feed fixtures not found at {FIXTURES}")
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@needs_fixtures
def test_urdu_feed_is_decoded():
    parsed = parse_feed(fixture("miniflux-testdata/parser-urdu_UTF8.xml"), content_type="application/rss+xml")
    assert parsed.error is None and parsed.warning is None
    assert len(parsed.entries) == 26
    assert parsed.title.startswith("BBC News اردو")
    assert parsed.entries[0].title.startswith("امریکی عسکری امداد")


@needs_fixtures
@pytest.mark.parametrize("name, title", [
    ("miniflux-testdata/encoding-koi8r.xml", "Первая новость"),
    ("miniflux-testdata/parser-encoding_WINDOWS-1251.xml", None),
    ("miniflux-testdata/parser-encoding_ISO-8859-1.xml", None),
])
def test_declared_charsets(name, title):
    parsed = parse_feed(fixture(name))
    assert parsed.error is None and parsed.entries
    if title:
        assert parsed.entries[0].title == title
    assert all("\ufffd" not in e.title for e in parsed.entries)


@needs_fixtures
def test_http_charset_overrides_the_document():
    body = fixture("feedparser-corpus/encoding/http_text_xml_charset_overrides_encoding.xml")
    assert parse_feed(body, content_type="text/xml; charset=utf-8").error is None


@needs_fixtures
def test_large_feeds():
    assert len(parse_feed(fixture("miniflux-testdata/parser-large_rss.xml")).entries) == 25
    assert parse_feed(fixture("miniflux-testdata/parser-large_atom.xml")).entries


@needs_fixtures
@pytest.mark.parametrize("name", ["feedparser-corpus/illformed/rss_empty_document.xml",
                                  "feedparser-corpus/illformed/aaa_illformed.xml"])
def test_illformed_without_entries_is_a_clear_error(name):
    parsed = parse_feed(fixture(name))
    assert parsed.entries == [] and parsed.error
    assert "feed" in parsed.error


@needs_fixtures
def test_illformed_with_entries_keeps_them_and_warns():
    parsed = parse_feed(fixture("feedparser-corpus/illformed/rss_incomplete_cdata.xml"))
    assert parsed.error is None and parsed.entries
    assert "were kept" in parsed.warning


def test_html_page_served_as_feed():
    parsed = parse_feed(b"<!DOCTYPE html><html><head><title>Dawn</title></head><body><p>Hi</p></body></html>",
                        content_type="text/html; charset=utf-8")
    assert parsed.entries == [] and "HTML page" in parsed.error


def test_entity_expansion_bomb_is_refused():
    bomb = b"""<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa">
<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">]>
<rss version="2.0"><channel><title>&e;&e;&e;</title><item><title>&e;</title></item></channel></rss>"""
    parsed = parse_feed(bomb)
    assert parsed.entries == [] and "entities" in parsed.error


def test_empty_and_garbage_documents():
    assert "empty" in parse_feed(b"  ").error
    assert parse_feed(b"\x00\xff\xfe garbage").error


def test_script_in_titles_and_content():
    doc = b"""<rss version="2.0"><channel><title>x</title><item><guid isPermaLink="false">1</guid>
<title>&lt;script&gt;alert(1)&lt;/script&gt;Bill &amp;amp; Senate &lt;b&gt;passes&lt;/b&gt;</title>
<link>javascript:alert(1)</link>
<description>&lt;p onclick="x()"&gt;Text &lt;a href="javascript:evil()"&gt;bad&lt;/a&gt; &lt;a href="https://ok.example/a"&gt;good&lt;/a&gt;&lt;script&gt;steal()&lt;/script&gt;&lt;img src=x onerror=y()&gt;&lt;/p&gt;</description>
</item></channel></rss>"""
    [entry] = parse_feed(doc).entries
    assert entry.title == "Bill & Senate passes"
    assert "script" not in entry.title.lower()
    assert entry.link is None  # only http(s) links are kept
    html = entry.summary_html
    for bad in ("onclick", "javascript", "<script", "steal", "<img", "onerror"):
        assert bad not in html
    assert 'href="https://ok.example/a"' in html and "nofollow" in html
    assert "steal" not in entry.text and "Text" in entry.text


def test_dates_missing_future_and_dedup():
    doc = b"""<rss version="2.0"><channel><title>x</title>
<item><guid isPermaLink="false">a</guid><title>no date</title></item>
<item><guid isPermaLink="false">b</guid><title>future</title><pubDate>Fri, 01 Jan 2100 00:00:00 GMT</pubDate></item>
<item><guid isPermaLink="false">c</guid><title>normal</title><pubDate>Tue, 10 Nov 2026 09:00:00 +0500</pubDate></item>
<item><guid isPermaLink="false">c</guid><title>normal again</title></item>
<item><title>only a link</title><link>https://Example.org/story#top</link></item>
<item><title>nothing to identify it</title><description>just text</description></item>
</channel></rss>"""
    entries = {e.title: e for e in parse_feed(doc, now=NOW).entries}
    assert len(entries) == 5  # the duplicate guid collapsed
    assert entries["no date"].published is None and entries["no date"].published_is_estimated
    assert entries["future"].published == NOW and entries["future"].published_is_estimated
    normal = entries["normal"]
    assert normal.published == datetime(2026, 11, 10, 4, 0, tzinfo=timezone.utc) and not normal.published_is_estimated
    assert normal.dedup_key == "guid:c"
    assert entries["only a link"].dedup_key == "link:https://example.org/story"
    assert entries["nothing to identify it"].dedup_key.startswith("hash:")


def test_ttl_is_read():
    doc = b"<rss version='2.0'><channel><title>x</title><ttl>45</ttl><item><title>a</title></item></channel></rss>"
    assert parse_feed(doc).ttl_minutes == 45


def test_helpers():
    assert plain_text("<p>A &amp; <b>B</b></p><script>x()</script>") == "A & B"
    assert sanitise_html('<a href="http://x.org" onclick="y">l</a>') == \
        '<a href="http://x.org" rel="nofollow noopener noreferrer">l</a>'


def test_relative_links_are_resolved_against_the_feed():
    doc = b"""<rss version="2.0"><channel><title>t</title><item><title>a</title><link>/news/1</link>
<description>&lt;a href="/x"&gt;more&lt;/a&gt; &lt;a href="javascript:alert(1)"&gt;no&lt;/a&gt;</description>
</item></channel></rss>"""
    [entry] = parse_feed(doc, base_url="https://www.dawn.com/feeds/latest-news/").entries
    assert entry.link == "https://www.dawn.com/news/1"
    assert 'href="https://www.dawn.com/x"' in entry.summary_html and "javascript" not in entry.summary_html
