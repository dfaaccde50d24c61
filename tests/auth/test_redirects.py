"""After login, `next` may only lead to a path on this site, read the way a browser reads it (issue 8, item 2)."""
from urllib.parse import urlsplit

import pytest

from tests.conftest import PASSWORD, csrf_from
from tracker.auth.redirects import same_site_path

ELSEWHERE = [
    "/\t/evil.example/path",      # a browser drops the tab: //evil.example/path
    "/\n/x", "/\r\n/evil.example", "\t//evil.example", "/\\evil.example", "\\\\evil.example",
    "//evil.example", "///evil.example", "https://evil.example/", "http:/evil.example", "javascript:alert(1)",
    " //evil.example", "/a\x00b", "evil.example", "", None, 7,
]


@pytest.mark.parametrize("target", ELSEWHERE)
def test_anything_but_a_same_site_path_is_refused(target):
    assert same_site_path(target) is None


@pytest.mark.parametrize("target, path", [
    ("/staff/recommendations/GOV-01", "/staff/recommendations/GOV-01"),
    ("/staff/recommendations?status=in_progress&page=2", "/staff/recommendations?status=in_progress&page=2"),
    ("/staff/inbox\n", "/staff/inbox"),  # stripped as a browser would
    (" /admin/users", "/admin/users"),
    ("\x00/x", "/x"),  # leading control characters are stripped, as a browser does
])
def test_same_site_paths_are_kept(target, path):
    assert same_site_path(target) == path


def _login(client, next_param: str):
    token = csrf_from(client.get("/login").get_data(as_text=True))
    return client.post("/login", query_string={"next": next_param},
                       data={"email": "editor@ncrc.example.org", "password": PASSWORD, "csrf_token": token})


@pytest.mark.parametrize("raw_query", ["/%09/evil.example/path", "/%0a/x", "/%0d%0a/evil.example",
                                       "%5C%5Cevil.example", "/%5Cevil.example", "https:%2F%2Fevil.example"])
def test_login_never_redirects_to_another_site(client, users, raw_query):
    token = csrf_from(client.get("/login").get_data(as_text=True))
    response = client.post(f"/login?next={raw_query}", data={
        "email": "editor@ncrc.example.org", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302  # not a 500 for a newline
    location = urlsplit(response.headers["Location"])
    assert location.netloc in ("", "localhost") and location.path == "/staff/recommendations"


def test_login_follows_a_same_site_next(client, users):
    response = _login(client, "/staff/recommendations/GOV-01")
    assert response.status_code == 302 and response.headers["Location"].endswith("/staff/recommendations/GOV-01")
