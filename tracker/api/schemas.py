"""The /api/v1 shapes, once: they validate requests, serialise responses and make the OpenAPI document.

Request schemas check types and vocabularies, and refuse what the database cannot store (NUL characters,
lone surrogates, integers beyond a 32-bit column) with a message for a person; the domain operations
still own the rules (a blank note, a stale version). Response schemas dump ORM objects directly, so a
field missing here is missing from the answer too: the document cannot drift from what is sent.
"""
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

from tracker.matching.models import SUGGESTION_STATES
from tracker.recommendations import statuses
from tracker.recommendations.operations import MAX_NOTE, MAX_URL

# The contract's stakeholder vocabulary (tests check it against the seeded register).
STAKEHOLDER_SLUGS = ("children", "parents", "electronic-service-providers", "government", "legislature",
                     "international-cooperation", "judiciary", "nhris", "civil-society")
MAX_DB_INTEGER = 2**31 - 1  # PostgreSQL `integer`: anything larger cannot even be compared with a column
MAX_QUERY = 200


class Vocabulary(validate.OneOf):
    """One of a fixed list, and an error that quotes (a short prefix of) what was sent."""

    def __init__(self, choices, what: str, *, empty_means_any: bool = False):
        # A query filter left empty (a form's "any" choice) filters on nothing; the document says so.
        super().__init__(("", *choices) if empty_means_any else tuple(choices))
        self.what = what
        self.named = tuple(choices)

    def _format_error(self, value) -> str:
        return f"Unknown {self.what} '{str(value)[:40]}'. Use one of: {', '.join(self.named)}."


class Text(fields.String):
    """A string the database can store: no NUL characters (PostgreSQL refuses them) and valid Unicode."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if "\x00" in text:
            raise ValidationError("must not contain NUL characters (\\u0000).")
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise ValidationError("is not valid Unicode (it contains a lone surrogate).") from None
        return text


class StorableInteger(fields.Integer):
    """A whole number (not a string, not a boolean) that fits the database's integer columns."""

    def __init__(self, **kwargs):
        super().__init__(strict=True, validate=validate.Range(
            min=0, max=MAX_DB_INTEGER, error="must be a whole number from {min} to {max}."), **kwargs)


class Input(Schema):
    """Request bodies and query strings: unknown keys are ignored, as they always were."""

    class Meta:
        unknown = EXCLUDE

    error_messages = {"type": "Send a JSON object."}


# -- requests ---------------------------------------------------------------------------------------

class RecommendationFilterArgs(Input):
    stakeholder = fields.String(validate=Vocabulary(STAKEHOLDER_SLUGS, "stakeholder", empty_means_any=True))
    status = fields.String(validate=Vocabulary(statuses.VALUES, "status", empty_means_any=True))
    q = Text(validate=validate.Length(max=MAX_QUERY, error="too long (at most {max} characters)."),
             metadata={"description": "Words in the code, title or the brief's wording."})


class StatusChangeRequest(Input):
    error_messages = {"type": 'Send a JSON object: {"status", "note", "evidence_url", "version"}.'}

    status = fields.String(required=True, validate=Vocabulary(statuses.VALUES, "status"))
    note = Text(required=True, validate=validate.Length(
        max=MAX_NOTE, error="too long (at most {max} characters)."),
        metadata={"description": "What changed and how you know (required, not blank)."})
    evidence_url = Text(allow_none=True, validate=validate.Length(max=MAX_URL),
                        metadata={"description": "An http(s) link to the evidence."})
    version = StorableInteger(required=True, error_messages={
        "required": "missing: send the version you read."},
        metadata={"description": "The recommendation's version you read; a stale one gets 409."})
    occurred_on = Text(allow_none=True, validate=validate.Length(max=10),
                       metadata={"description": "The day it happened (YYYY-MM-DD), when it differs from today."})
    evidence_title = Text(allow_none=True, validate=validate.Length(max=500),
                          metadata={"description": "The evidence's title (else fetched from the link)."})
    evidence_publisher = Text(allow_none=True, validate=validate.Length(max=200),
                              metadata={"description": "Who published the evidence."})
    evidence_published_on = Text(allow_none=True, validate=validate.Length(max=10),
                                 metadata={"description": "When the evidence was published (YYYY-MM-DD)."})


class SuggestionStateArgs(Input):
    state = fields.String(load_default="pending", validate=Vocabulary(SUGGESTION_STATES, "state"))


class AcceptRequest(Input):
    error_messages = {"type": 'Send a JSON object, optionally with "status" and "note".'}

    status = fields.String(allow_none=True, validate=Vocabulary(statuses.VALUES, "status"),
                           metadata={"description": "Overrides the proposed status."})
    note = Text(allow_none=True, validate=validate.Length(
        max=MAX_NOTE, error="too long (at most {max} characters)."),
        metadata={"description": "Replaces the default note (the feed item's title)."})


# -- responses --------------------------------------------------------------------------------------

class ErrorSchema(Schema):
    error = fields.String(required=True, metadata={"description": "What is wrong, for a person."})


class Named(Schema):
    slug = fields.String(required=True)
    name = fields.String(required=True)


class InstrumentSchema(Schema):
    slug = fields.String(required=True)
    short_name = fields.String(required=True)
    name = fields.String(required=True)
    pakistan_status = fields.String(required=True)


class BillSchema(Schema):
    slug = fields.String(required=True)
    title = fields.String(required=True)


class StatusChangeSchema(Schema):
    from_status = fields.String(required=True, allow_none=True)
    to_status = fields.String(required=True)
    note = fields.String(required=True)
    evidence_url = fields.String(required=True, allow_none=True)
    origin = fields.String(required=True)
    author = fields.Function(lambda c: (c.author.name or "NCRC staff") if c.author else None, required=True,
                             allow_none=True, metadata={"type": "string"})
    created_at = fields.AwareDateTime(required=True, metadata={"description": "When it was recorded."})
    occurred_on = fields.Date(required=True, allow_none=True,
                              metadata={"description": "When it happened, as the editor says."})
    is_note = fields.Boolean(required=True, metadata={"description": "A note that left the status as it was."})
    evidence = fields.Function(
        lambda c: {"url": c.evidence_url, "title": c.evidence_title, "publisher": c.evidence_publisher,
                   "published_on": c.evidence_published_on.isoformat() if c.evidence_published_on else None}
        if c.evidence_url else None, required=True, allow_none=True,
        metadata={"type": ["object", "null"], "properties": {
            "url": {"type": "string"}, "title": {"type": ["string", "null"]},
            "publisher": {"type": ["string", "null"]}, "published_on": {"type": ["string", "null"]}}})


class RecommendationSchema(Schema):
    code = fields.String(required=True)
    title = fields.String(required=True)
    source_text = fields.String(required=True, metadata={"description": "The brief's own wording, verbatim."})
    stakeholder = fields.Nested(Named, required=True)
    responsible_bodies = fields.Pluck(Named, "name", many=True, attribute="bodies", required=True)
    status = fields.String(required=True, validate=validate.OneOf(statuses.VALUES))
    status_label = fields.Function(lambda r: statuses.status_label(r.status), required=True,
                                   metadata={"type": "string"})
    updated_at = fields.AwareDateTime(required=True)
    last_changed_at = fields.AwareDateTime(required=True, allow_none=True, metadata={
        "description": "The last real change (not set-up or register edits); null when never assessed."})
    version = fields.Integer(required=True)


class RecommendationDetailSchema(RecommendationSchema):
    context_text = fields.String(required=True, allow_none=True)
    themes = fields.List(fields.Nested(Named), required=True)
    instruments = fields.List(fields.Nested(InstrumentSchema), required=True)
    bill = fields.Nested(BillSchema, required=True, allow_none=True)
    history = fields.List(fields.Nested(StatusChangeSchema), required=True,
                          metadata={"description": "Public history, newest change first."})
    audiences = fields.Function(lambda r: [a for a in (r.audiences or "").splitlines() if a], required=True,
                                metadata={"type": "array", "items": {"type": "string"},
                                          "description": "Who the ask is for, when that is not who acts."})
    split_from = fields.Function(lambda r: r.split_from.code if r.split_from else None, required=True,
                                 allow_none=True, metadata={"type": ["string", "null"],
                                                            "description": "The retired item this one was split from."})


class RecommendationListSchema(Schema):
    count = fields.Integer(required=True)
    recommendations = fields.List(fields.Nested(RecommendationSchema), required=True)


class TallySchema(Schema):
    total = fields.Integer(required=True)
    counts = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True,
                         metadata={"description": "How many recommendations have each status."})
    progress_percent = fields.Float(required=True, attribute="progress",
                                    metadata={"description": "Weighted share done, 0 to 100."})
    assessed = fields.Integer(required=True, metadata={"description": "How many have been assessed."})
    progress_among_assessed_percent = fields.Float(
        required=True, allow_none=True, attribute="progress_among_assessed",
        metadata={"description": "Weighted share done among the assessed; null when none is."})


class StakeholderTallySchema(TallySchema):
    slug = fields.String(required=True)
    name = fields.String(required=True)


class StatusDefinitionSchema(Schema):
    value = fields.String(required=True)
    label = fields.String(required=True)
    definition = fields.String(required=True)
    weight = fields.Float(required=True, allow_none=True,
                          metadata={"description": "Share of done it counts for; null: left out."})


class ScorecardSchema(Schema):
    overall = fields.Nested(TallySchema, required=True)
    stakeholders = fields.List(fields.Nested(StakeholderTallySchema), required=True)
    statuses = fields.List(fields.Nested(StatusDefinitionSchema), required=True)


class SuggestedRecommendationSchema(Schema):
    code = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.String(required=True)


class EntrySchema(Schema):
    title = fields.String(required=True)
    link = fields.String(required=True, allow_none=True)
    published = fields.AwareDateTime(required=True, allow_none=True)
    feed = fields.Pluck(Named, "name", required=True)


class SuggestionSchema(Schema):
    id = fields.Integer(required=True)
    state = fields.String(required=True, validate=validate.OneOf(SUGGESTION_STATES))
    score = fields.Float(required=True)
    proposed_status = fields.String(required=True, allow_none=True)
    stage = fields.String(required=True, allow_none=True)
    rationale = fields.String(required=True)
    created_at = fields.AwareDateTime(required=True)
    recommendation = fields.Nested(SuggestedRecommendationSchema, required=True)
    entry = fields.Nested(EntrySchema, required=True)


class SuggestionListSchema(Schema):
    suggestions = fields.List(fields.Nested(SuggestionSchema), required=True)
