"""The OpenAPI 3.1 description of /api/v1, built from the same vocabularies the code uses."""
from tracker.recommendations import statuses

STAKEHOLDERS = ["children", "parents", "electronic-service-providers", "government", "legislature",
                "international-cooperation", "judiciary", "nhris", "civil-society"]


def _error(description: str) -> dict:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def _json(ref: str, description: str = "OK") -> dict:
    return {"description": description, "content": {"application/json": {"schema": {"$ref": ref}}}}


def openapi_document() -> dict:
    code_param = {"name": "code", "in": "path", "required": True, "schema": {"type": "string"},
                  "example": "LEG-01"}
    staff = [{"bearer": []}, {"session": []}]
    return {
        "openapi": "3.1.0",
        "info": {"title": "Child online protection recommendations tracker", "version": "1",
                 "description": "Tracks the NCRC policy brief's recommendations, their status and evidence."},
        "paths": {
            "/api/v1/recommendations": {"get": {
                "summary": "List recommendations",
                "parameters": [
                    {"name": "stakeholder", "in": "query", "schema": {"type": "string", "enum": STAKEHOLDERS}},
                    {"name": "status", "in": "query", "schema": {"type": "string", "enum": list(statuses.VALUES)}},
                    {"name": "q", "in": "query", "schema": {"type": "string"}}],
                "responses": {"200": _json("#/components/schemas/RecommendationList"),
                              "304": {"description": "Not modified"}, "400": _error("Bad filter")}}},
            "/api/v1/recommendations/{code}": {"get": {
                "summary": "One recommendation with its public history", "parameters": [code_param],
                "responses": {"200": _json("#/components/schemas/Recommendation"), "404": _error("Unknown code")}}},
            "/api/v1/recommendations/{code}/status": {"post": {
                "summary": "Change a recommendation's status (editors, admins)", "security": staff,
                "parameters": [code_param],
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/StatusChangeRequest"}}}},
                "responses": {"200": _json("#/components/schemas/Recommendation"),
                              "400": _error("Bad input"), "401": _error("No or invalid credentials"),
                              "403": _error("Role may not edit"), "404": _error("Unknown code"),
                              "409": _error("Stale version: someone else changed it")}}},
            "/api/v1/scorecard": {"get": {"summary": "Progress overall and per stakeholder",
                                          "responses": {"200": {"description": "OK"}}}},
            "/api/v1/suggestions": {"get": {
                "summary": "Suggestions from the feeds", "security": staff,
                "parameters": [{"name": "state", "in": "query",
                                "schema": {"type": "string", "enum": ["pending", "accepted", "dismissed"]}}],
                "responses": {"200": _json("#/components/schemas/SuggestionList"), "400": _error("Bad state"),
                              "401": _error("No or invalid credentials")}}},
            "/api/v1/suggestions/{id}/accept": {"post": {
                "summary": "Accept: records the status change with the entry as evidence", "security": staff,
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                "requestBody": {"required": False, "content": {"application/json": {"schema": {
                    "type": "object", "properties": {"status": {"type": "string"}, "note": {"type": "string"}}}}}},
                "responses": {"200": _json("#/components/schemas/Suggestion"), "400": _error("Bad input"),
                              "404": _error("Unknown suggestion"), "409": _error("Already decided")}}},
            "/api/v1/suggestions/{id}/dismiss": {"post": {
                "summary": "Dismiss: remembered, never suggested again", "security": staff,
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                "responses": {"200": _json("#/components/schemas/Suggestion"),
                              "404": _error("Unknown suggestion"), "409": _error("Already decided")}}},
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"},
                                "session": {"type": "apiKey", "in": "cookie", "name": "session"}},
            "schemas": {
                "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}},
                "Recommendation": {"type": "object", "required": [
                    "code", "title", "source_text", "stakeholder", "responsible_bodies", "status", "status_label",
                    "updated_at", "version"], "properties": {
                    "code": {"type": "string"}, "title": {"type": "string"}, "source_text": {"type": "string"},
                    "stakeholder": {"type": "object", "properties": {"slug": {"type": "string"},
                                                                     "name": {"type": "string"}}},
                    "responsible_bodies": {"type": "array", "items": {"type": "string"}},
                    "status": {"type": "string", "enum": list(statuses.VALUES)},
                    "status_label": {"type": "string"}, "updated_at": {"type": "string", "format": "date-time"},
                    "version": {"type": "integer"}}},
                "RecommendationList": {"type": "object", "properties": {
                    "count": {"type": "integer"},
                    "recommendations": {"type": "array", "items": {"$ref": "#/components/schemas/Recommendation"}}}},
                "StatusChangeRequest": {"type": "object", "required": ["status", "note", "version"], "properties": {
                    "status": {"type": "string", "enum": list(statuses.VALUES)},
                    "note": {"type": "string", "minLength": 1, "maxLength": 5000},
                    "evidence_url": {"type": ["string", "null"], "format": "uri"},
                    "version": {"type": "integer"}}},
                "Suggestion": {"type": "object", "properties": {
                    "id": {"type": "integer"}, "state": {"type": "string"}, "score": {"type": "number"},
                    "proposed_status": {"type": ["string", "null"]}, "rationale": {"type": "string"},
                    "highlights": {"type": "array", "items": {"type": "array", "items": {"type": "integer"}},
                                   "description": "character spans [start, end) in the entry's text"},
                    "flags": {"type": "array", "items": {"type": "string"},
                              "description": "same_title_unconfirmed: confirm the bill's identity"},
                    "bill": {"type": ["string", "null"]}, "identity": {"type": ["object", "null"]},
                    "recommendation": {"type": "object"}, "entry": {"type": "object"}}},
                "SuggestionList": {"type": "object", "properties": {
                    "suggestions": {"type": "array", "items": {"$ref": "#/components/schemas/Suggestion"}}}},
            },
        },
    }
