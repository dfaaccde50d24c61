"""The shapes of /api/v1/indicators, once: they validate the point request, serialise the answers and make the
indicators' part of /api/v1/openapi.json (registered with the same flask-smorest Api as the rest of /api/v1).

The request schema checks types and what the database cannot store (NUL and other control characters, lone
surrogates, over-long text, a value beyond what we keep exactly); the rules (a future period, a blank source,
a period already recorded, a link that is not http(s)) stay in tracker.indicators.operations.
"""
from marshmallow import Schema, ValidationError, fields, validate

from tracker.api.schemas import Input, Text
from tracker.indicators.formatting import plain_value
from tracker.indicators.operations import MAX_ABS_VALUE, MAX_NOTE, MAX_PAGE, MAX_PUBLISHER, MAX_TITLE
from tracker.recommendations.operations import MAX_URL

# [0-9], not \d: Python's \d also takes other scripts' digits, which are no period we could store or sort.
PERIOD_PATTERN = r"^[0-9]{4}(-[0-9]{2})?$"
SOURCE_REQUIRED = "A source is required: give the title of the publication the figure is from."
LINK_REQUIRED = "A source is required: give a link to it (or, with null here, the page it is on in source_page)."
NOT_A_NUMBER = "The value must be a number (a JSON number such as 187 or 82.9, not text)."
NOT_FINITE = "The value must be a finite number below a thousand trillion."


def _too_long(limit: int) -> validate.Length:
    return validate.Length(max=limit, error="too long (at most {max} characters).")


class SourceText(Text):
    """Text for a point's source or note: no control characters (PostgreSQL refuses NUL; none belongs there)."""

    def __init__(self, *, multiline: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.allowed = "\n\t\r" if multiline else ""

    def _deserialize(self, value, attr, data, **kwargs):
        text = fields.String._deserialize(self, value, attr, data, **kwargs)
        if any((ord(c) < 32 and c not in self.allowed) or ord(c) == 127 for c in text):
            raise ValidationError("contains a control character.")
        return super()._deserialize(value, attr, data, **kwargs)  # NUL done; lone surrogates next


class JsonNumber(fields.Float):
    """A JSON number: not text such as "71" (which Float would take), not a boolean, finite and in range."""

    default_error_messages = {"invalid": NOT_A_NUMBER, "too_large": NOT_FINITE, "special": NOT_FINITE}

    def __init__(self, **kwargs):
        super().__init__(allow_nan=False, validate=validate.Range(
            min=-MAX_ABS_VALUE, max=MAX_ABS_VALUE, error=NOT_FINITE), **kwargs)

    def _validated(self, value):
        if not isinstance(value, (int, float)):
            raise self.make_error("invalid")
        if isinstance(value, int) and abs(value) > MAX_ABS_VALUE:  # float() of a huge int would overflow
            raise self.make_error("too_large")
        return super()._validated(value)


# -- request ----------------------------------------------------------------------------------------

class PointRequest(Input):
    error_messages = {"type": 'Send a JSON object: {"period", "value", "source_title", "source_url", "note"}.'}

    period = fields.String(required=True, validate=validate.Regexp(
        PERIOD_PATTERN, error="“{input}” is not a period: write a year like 2024 or a month like 2024-06."),
        error_messages={"required": "A period is required: a year like 2024 or a month like 2024-06.",
                        "null": "A period is required: a year like 2024 or a month like 2024-06."},
        metadata={"description": "A year or a month, not in the future (UTC).", "examples": ["2024", "2024-06"]})
    value = JsonNumber(required=True, error_messages={"required": "A value is required.",
                                                      "null": "A value is required."},
                       metadata={"description": "The figure, as a JSON number (text such as \"71\" is refused)."})
    source_title = SourceText(required=True, validate=[
        validate.Length(min=1, error=SOURCE_REQUIRED), _too_long(MAX_TITLE)],
        error_messages={"required": SOURCE_REQUIRED, "null": SOURCE_REQUIRED},
        metadata={"description": "The title of the publication the figure is from."})
    source_url = SourceText(required=True, allow_none=True, validate=_too_long(MAX_URL),
                            error_messages={"required": LINK_REQUIRED},
                            metadata={"format": "uri",
                                      "description": "An http(s) link to the source; null only when source_page "
                                                     "says where the figure is."})
    source_page = SourceText(allow_none=True, validate=_too_long(MAX_PAGE),
                             metadata={"description": "Where in the source (a page number, a table)."})
    source_publisher = SourceText(allow_none=True, validate=_too_long(MAX_PUBLISHER))
    note = SourceText(allow_none=True, multiline=True, validate=_too_long(MAX_NOTE),
                      metadata={"description": "Anything a reader should know about the figure."})


# -- responses --------------------------------------------------------------------------------------

def _number(attribute: str, *, nullable: bool = False, description: str | None = None) -> fields.Function:
    # A whole number as a JSON integer (187, not 187.0), as the CSV export writes it.
    meta = {"type": "number"} | ({"description": description} if description else {})  # allow_none adds null
    return fields.Function(lambda obj: plain_value(getattr(obj, attribute)), required=True, allow_none=nullable,
                           metadata=meta)


class CorrectionSchema(Schema):
    value = _number("value", description="The value before the correction.")
    alt_value = _number("alt_value", nullable=True)
    source_title = fields.String(required=True)
    source_url = fields.String(required=True, allow_none=True)
    note = fields.String(required=True)
    reason = fields.String(required=True, metadata={"description": "Why it was corrected."})
    replaced_at = fields.AwareDateTime(required=True, attribute="created_at")


class PointSchema(Schema):
    period = fields.String(required=True, metadata={"pattern": PERIOD_PATTERN})
    value = _number("value")
    alt_value = _number("alt_value", nullable=True,
                        description="A second figure the source gives for the same period (see the note).")
    source_title = fields.String(required=True)
    source_publisher = fields.String(required=True)
    source_url = fields.String(required=True, allow_none=True)
    source_page = fields.String(required=True, allow_none=True)
    note = fields.String(required=True)
    from_brief = fields.Boolean(required=True, metadata={"description": "Quoted from the policy brief."})
    quote = fields.String(required=True, allow_none=True, metadata={"description": "The brief's sentence."})
    recorded_at = fields.AwareDateTime(required=True, attribute="created_at")
    updated_at = fields.AwareDateTime(required=True)
    version = fields.Integer(required=True)
    corrections = fields.List(fields.Nested(CorrectionSchema), required=True, attribute="revisions",
                              metadata={"description": "Earlier values, oldest first."})


class RecordedPointSchema(PointSchema):
    indicator = fields.Function(lambda p: p.indicator.slug, required=True, metadata={"type": "string"})


class RecommendationRefSchema(Schema):
    code = fields.String(required=True)
    title = fields.String(required=True)


class IndicatorSchema(Schema):
    slug = fields.String(required=True)
    name = fields.String(required=True)
    measures = fields.String(required=True)
    unit = fields.String(required=True)
    source_organisation = fields.String(required=True)
    kind = fields.String(required=True, metadata={"examples": ["outcome", "context"]})
    can_tell = fields.String(required=True)
    cannot_tell = fields.String(required=True)
    caution_quote = fields.String(required=True, allow_none=True)
    other_figures = fields.List(fields.Dict(), required=True, metadata={
        "description": "Figures the brief gives for no single period (label, value, quote)."})
    recommendations = fields.List(fields.Nested(RecommendationRefSchema), required=True,
                                  metadata={"description": "The register's recommendations it informs."})
    points = fields.List(fields.Nested(PointSchema), required=True, metadata={"description": "Oldest period first."})

    def get_attribute(self, obj, attr, default):
        # What is published of an indicator: the items still in the register, its points in period order.
        if attr == "recommendations":
            return [r for r in obj.recommendations if r.in_register]
        if attr == "points":
            return sorted(obj.points, key=lambda p: p.period)
        if attr == "other_figures":
            return obj.other_figures or []
        return super().get_attribute(obj, attr, default)


class IndicatorListSchema(Schema):
    indicators = fields.List(fields.Nested(IndicatorSchema), required=True)
