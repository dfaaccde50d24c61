"""The API adds the Urdu texts when asked for, and its English fields never change."""
from tracker.extensions import db
from tracker.recommendations.models import Recommendation

URDU_LABELS = {"not_assessed": "جائزہ نہیں لیا گیا", "not_started": "شروع نہیں ہوا", "in_progress": "پیش رفت جاری",
               "stalled": "تعطل کا شکار", "partially_implemented": "جزوی طور پر نافذ", "implemented": "نافذ",
               "superseded": "متروک"}


def test_recommendation_in_urdu_keeps_the_english_fields(client, seeded):
    english = client.get("/api/v1/recommendations/GOV-18").get_json()
    assert "translations" not in english
    rec = db.session.scalar(db.select(Recommendation).where(Recommendation.code == "GOV-18"))
    for asked in ({"query_string": {"lang": "ur"}}, {"headers": {"Accept-Language": "ur"}}):
        urdu = client.get("/api/v1/recommendations/GOV-18", **asked)
        assert urdu.status_code == 200 and "Set-Cookie" not in urdu.headers
        body = urdu.get_json()
        translations = body.pop("translations")
        assert body == english  # every English field as it was, status_label too
        assert translations["ur"]["title"] == rec.title_ur
        assert translations["ur"]["stakeholder"] == rec.stakeholder.name_ur
        assert translations["ur"]["status_label"] == URDU_LABELS[english["status"]]
        assert translations["ur"]["responsible_bodies"] == [b.name_ur for b in rec.bodies]
        assert english["status_label"] in ("Not assessed", "Not started", "In progress", "Stalled",
                                           "Partially implemented", "Implemented", "Superseded")


def test_list_and_scorecard_in_urdu(client, seeded):
    listing = client.get("/api/v1/recommendations?lang=ur&stakeholder=government").get_json()
    assert all(r["translations"]["ur"]["title"] for r in listing["recommendations"])
    card = client.get("/api/v1/scorecard", headers={"Accept-Language": "ur"}).get_json()
    labels = {s["value"]: s for s in card["statuses"]}
    assert labels["implemented"]["label"] == "Implemented"
    assert labels["implemented"]["translations"]["ur"] == {
        "label": "نافذ", "definition": "سفارش کے تقاضے عوامی ثبوت کے ساتھ نافذ یا موجود ہیں۔"}
    judiciary = next(s for s in card["stakeholders"] if s["slug"] == "judiciary")
    assert judiciary["name"] == "Judicial Bodies" and judiciary["translations"]["ur"]["name"] == "عدالتی ادارے"
    plain = client.get("/api/v1/scorecard").get_json()
    assert all("translations" not in s for s in plain["statuses"] + plain["stakeholders"])


def test_an_unknown_language_is_a_clear_400(client, seeded):
    response = client.get("/api/v1/scorecard?lang=fr")
    assert response.status_code == 400 and "Unknown language 'fr'" in response.get_json()["error"]


def test_the_openapi_document_describes_lang_and_translations(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    params = {p["name"] for p in doc["paths"]["/api/v1/recommendations/{code}"]["get"]["parameters"]}
    assert "lang" in params
    schemas = doc["components"]["schemas"]
    assert "translations" in schemas["Recommendation"]["properties"]
    assert "title" in schemas["RecommendationUrdu"]["properties"]
