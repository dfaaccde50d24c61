"""flask-smorest wired to the house rules: validation errors are 400 `{"error": ...}` for a person, and the
OpenAPI 3.1 document at /api/v1/openapi.json is generated from the schemas the routes use.

flask-smorest (marshmallow + webargs + apispec) was chosen because one decorator both parses a request
with a schema and documents it, and one both serialises a response with a schema and documents it.
"""
import json

from flask import Flask, current_app
from flask_smorest import Api, Blueprint
from webargs.flaskparser import FlaskParser, abort, is_json_request

from tracker.api.schemas import ErrorSchema

TITLE = "Child online protection recommendations tracker"
SECURITY = [{"bearer": []}, {"session": []}]
LOCATIONS = ("json", "query", "querystring", "view_args", "path", "headers", "cookies", "form")
ERROR_DESCRIPTIONS = {
    400: "Bad input: a wrong type, an unknown value, text the database cannot store",
    401: "No credentials, or a token that is invalid or revoked",
    403: "Your role may not do this",
    404: "No such resource",
    409: "The stored state moved on (a stale version, a decision already taken): reload and try again",
}


class TrackerParser(FlaskParser):
    # A person fixes a bad request; "422" tells them nothing more than 400 does, and the contract says 400.
    DEFAULT_VALIDATION_STATUS = 400

    def _raw_load_json(self, req):
        if not is_json_request(req) and (req.content_length or 0) > 0:
            # e.g. curl -d without -H 'Content-Type: application/json': say so rather than "field missing".
            abort(400, messages={"json": ["Send the body as JSON, with Content-Type: application/json."]})
        try:
            return super()._raw_load_json(req)
        except RecursionError:  # nested deeper than the JSON parser goes: not a body we could use
            abort(400, messages={"json": ["The JSON body is nested too deeply."]})

    def _handle_invalid_json_error(self, error, req, *args, **kwargs):
        abort(400, exc=error, messages={"json": ["The body is not valid JSON: send a JSON object."]})


class TrackerBlueprint(Blueprint):
    ARGUMENTS_PARSER = TrackerParser()

    def errors(self, *codes: int):
        """Documents the `{"error": ...}` answers a route can give."""
        def decorator(view):
            for code in codes:
                view = self.alt_response(code, schema=ErrorSchema, description=ERROR_DESCRIPTIONS[code])(view)
            return view
        return decorator


class TrackerApi(Api):
    ERROR_SCHEMA = ErrorSchema
    # Each route lists the error statuses it gives; a catch-all "default" would make any status conform.
    DEFAULT_ERROR_RESPONSE_NAME = None

    def _register_error_handlers(self):
        # The app already answers errors under /api/ as `{"error": ...}` and elsewhere as pages; flask-smorest's
        # own handler (with its `{"code", "status", "errors"}` shape) would take over the pages' errors too.
        pass


def init_app(app: Flask) -> None:
    app.config.setdefault("API_TITLE", TITLE)
    app.config.setdefault("API_VERSION", "1")
    app.config.setdefault("OPENAPI_VERSION", "3.1.0")
    app.config.setdefault("API_SPEC_OPTIONS", {"info": {
        "description": "Tracks the NCRC policy brief's recommendations, their status and evidence. "
                       "Errors are {\"error\": \"<for a person>\"} with the fitting 4xx status."}})
    api = TrackerApi(app)  # one per app: each app (tests make many) has its own document
    app.extensions["tracker_api"] = api
    api.spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer",
                                                   "description": "A personal token: flask users token EMAIL"})
    api.spec.components.security_scheme("session", {
        "type": "apiKey", "in": "cookie", "name": "session",
        "description": "A staff browser session; POSTs then need the CSRF token in X-CSRFToken."})
    from tracker.api.routes import bp
    api.register_blueprint(bp)


def openapi_document() -> dict:
    # Round-tripped through JSON so lazy strings and tuples become plain JSON values.
    spec = current_app.extensions["tracker_api"].spec
    document = json.loads(json.dumps(spec.to_dict(), default=str))
    document["paths"].pop("/api/v1/openapi.json", None)  # the document does not describe itself
    return document


def validation_message(messages) -> str:
    """webargs' nested messages ({"json": {"note": ["..."]}}) as one sentence for a person."""
    parts: list[str] = []

    def walk(node, path: tuple[str, ...]):
        if isinstance(node, dict):
            for key, value in node.items():
                skip = key == "_schema" or (not path and key in LOCATIONS)
                walk(value, path if skip else (*path, str(key)))
        elif isinstance(node, (list, tuple)):
            for item in node:
                walk(item, path)
        else:
            parts.append(f"{'.'.join(path)}: {node}" if path else str(node))
    walk(messages, ())
    return " ".join(dict.fromkeys(parts)) or "Bad request."
