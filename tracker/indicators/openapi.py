"""This domain's part of the OpenAPI description (merged into /api/v1/openapi.json)."""


def indicator_paths() -> dict:
    slug = {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"},
            "example": "fia-ocsea-firs"}
    error = {"description": "Error", "content": {"application/json": {"schema": {
        "type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}}}}}
    point_request = {"type": "object", "required": ["period", "value", "source_title"], "properties": {
        "period": {"type": "string", "pattern": r"^\d{4}(-\d{2})?$", "examples": ["2024", "2024-06"]},
        "value": {"type": "number"}, "source_title": {"type": "string", "minLength": 1, "maxLength": 300},
        "source_url": {"type": ["string", "null"], "format": "uri"},
        "source_page": {"type": ["string", "null"], "description": "instead of source_url: where in the source"},
        "source_publisher": {"type": ["string", "null"]}, "note": {"type": ["string", "null"], "maxLength": 2000}}}
    return {
        "/api/v1/indicators": {"get": {"summary": "Every indicator with its data points",
                                       "responses": {"200": {"description": "OK"}}}},
        "/api/v1/indicators/{slug}": {"get": {
            "summary": "One indicator with its data points, sources and corrections", "parameters": [slug],
            "responses": {"200": {"description": "OK"}, "404": error}}},
        "/api/v1/indicators/{slug}/points": {"post": {
            "summary": "Record a new data point (editors, admins)", "parameters": [slug],
            "security": [{"bearer": []}, {"session": []}],
            "requestBody": {"required": True, "content": {"application/json": {"schema": point_request}}},
            "responses": {"201": {"description": "Recorded"},
                          "400": error, "401": error, "403": error, "404": error}}},
    }
