"""Schemathesis against /api/v1/openapi.json: every operation, anonymous and with an editor's Bearer token.

Each generated request must get no 500, a documented status, a documented content type and a body that
matches its schema; data the schema calls invalid must be refused with a 4xx, and an operation that needs
credentials must refuse to work without them. Cases come from Hypothesis strategies that schemathesis builds
from the document (schema-valid and schema-invalid ones, and valid ones aimed at a real recommendation or
suggestion so the 200 answers are checked too). The number of examples is bounded and derandomised: the
run is quick and the same every time.
"""
import re

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (content_type_conformance, ignored_auth, negative_data_rejection,
                                               response_headers_conformance, response_schema_conformance,
                                               status_code_conformance)

from tests.api.test_suggestions_api import suggestion  # noqa: F401  (a pending suggestion to decide)
from tracker import create_app

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          response_headers_conformance, negative_data_rejection, ignored_auth]
EXAMPLES_PER_OPERATION = 30


def _documented_operations() -> list[tuple[str, str]]:
    # The document needs no database: an app that never connects is enough to list what it describes.
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "TESTING": True})
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    return [(path, method.upper()) for path, item in sorted(document["paths"].items())
            for method in item if method in ("get", "post", "put", "patch", "delete")]


OPERATIONS = _documented_operations()


def test_every_api_route_is_documented(app):
    routes = {(rule.rule, method) for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/v1/")
              and rule.rule != "/api/v1/openapi.json" for method in rule.methods - {"HEAD", "OPTIONS"}}
    # Werkzeug writes `<int(min=1, max=…):suggestion_id>` where OpenAPI writes `{suggestion_id}`.
    as_openapi = {(re.sub(r"<(?:[^:>]+:)?([a-z_]+)>", r"{\1}", rule), method) for rule, method in routes}
    assert as_openapi == set(OPERATIONS)


@pytest.mark.parametrize("credentials", ["anonymous", "editor"])
def test_api_conforms_to_its_openapi_document(app, seeded, tokens, suggestion, credentials):  # noqa: F811
    # One test per kind of caller, every operation inside it: the register is seeded once, not per operation.
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    headers = {"Authorization": f"Bearer {tokens['editor']}"} if credentials == "editor" else {}
    for path, method in OPERATIONS:
        operation = schema[path][method]
        real = {name: value for name, value in (("code", "LEG-01"), ("suggestion_id", suggestion))
                if "{" + name + "}" in path}
        strategies = [operation.as_strategy(GenerationMode.POSITIVE),
                      operation.as_strategy(GenerationMode.NEGATIVE)]
        if real:
            strategies.append(operation.as_strategy(GenerationMode.POSITIVE, path_parameters=real))

        @given(case=st.one_of(strategies))
        @settings(max_examples=EXAMPLES_PER_OPERATION, derandomize=True, database=None, deadline=None,
                  suppress_health_check=list(HealthCheck))
        def conforms(case):
            case.call_and_validate(headers=headers, checks=CHECKS)

        conforms()
