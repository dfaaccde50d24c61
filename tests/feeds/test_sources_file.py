"""feeds/sources.yaml: validated on load, errors that name the file and the entry; shipped page sources."""
import pytest
from sqlalchemy import select

from tracker.extensions import db
from tracker.feeds.models import Feed
from tracker.feeds.operations import SOURCES_FILE, SourcesFileError, load_sources_file, seed_sources


def test_the_shipped_file_loads_with_the_official_pages_marked_for_a_check(app):
    sources = {s.name: s for s in load_sources_file()}
    for name in ("National Assembly — bills", "Senate — bills", "Gazette of Pakistan", "PTA — press releases",
                 "NCCIA — press releases", "Ministry of Law and Justice — news and press releases",
                 "NCRC — press releases"):
        assert sources[name].page and sources[name].title and sources[name].link and sources[name].needs_check
    assert sources["Gazette of Pakistan"].follow
    seed_sources(db.session)
    db.session.commit()
    gazette = db.session.scalar(select(Feed).where(Feed.name == "Gazette of Pakistan"))
    assert gazette.is_page and gazette.follow and gazette.state == "unchecked"


@pytest.mark.parametrize("entry, words", [
    ("- name: X\n  url: https://example.org/x\n  selectors: {item: 'tr[', title: td, link: a}\n",
     "item selector cannot be used"),
    ("- name: X\n  url: https://example.org/x\n  selectors: {item: tr, link: a}\n", "needs a title selector"),
    ("- name: X\n  url: http://example.org:99999/x\n", "port"),
    ("- name: X\n  url: https://example.org/x\n  kind: blog\n", "Unknown kind"),
    ("- name: X\n  url: https://example.org/x\n  colour: red\n", "unknown key(s) colour"),
    ("- name: X\n  url: https://example.org/x\n  selectors: {item: tr, title: td, link: a, author: b}\n",
     "unknown selector(s) author"),
    ("- just a string\n", "must be a mapping"),
])
def test_a_bad_entry_names_the_file_and_the_entry(app, tmp_path, entry, words):
    path = tmp_path / "sources.yaml"
    path.write_text("sources:\n- name: Fine\n  url: https://example.org/fine\n" + entry, encoding="utf-8")
    with pytest.raises(SourcesFileError) as caught:
        load_sources_file(path)
    assert str(path) in caught.value.message and "entry 2" in caught.value.message
    assert words in caught.value.message


def test_nothing_is_added_when_one_entry_is_bad(app, tmp_path):
    path = tmp_path / "sources.yaml"
    path.write_text("sources:\n- name: Fine\n  url: https://example.org/fine\n- name: Bad\n  url: nope\n")
    with pytest.raises(SourcesFileError):
        seed_sources(db.session, path)
    db.session.rollback()
    assert db.session.scalar(select(Feed.id)) is None
    assert SOURCES_FILE.name == "sources.yaml"
