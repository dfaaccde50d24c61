from flask_babel import lazy_gettext as _l
from tracker.i18n import TrackerForm
from wtforms import BooleanField, EmailField, RadioField, SelectChoice, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

FREQUENCY_CHOICES = [SelectChoice("daily", _l("Daily")), SelectChoice("weekly", _l("Weekly"))]
# Each language named in itself, whatever the page's language (a reader looks for their own).
LANGUAGE_CHOICES = [SelectChoice("en", "English"), SelectChoice("ur", "اردو")]


class SubscribeForm(TrackerForm):
    email = EmailField(_l("Your e-mail address"), validators=[DataRequired(_l("Enter your e-mail address.")),
                                                              Length(max=254)])
    name = StringField(_l("Your name (optional)"), validators=[Length(max=120)])
    frequency = RadioField(_l("How often"), choices=FREQUENCY_CHOICES, default="daily")
    language = RadioField(_l("Language of the e-mails"), choices=LANGUAGE_CHOICES,
                          validate_choice=False)  # checked by operations.clean_language, with its message
    # Repeated field: ?stakeholder=a&stakeholder=b; none ticked means every stakeholder group.
    stakeholder = SelectMultipleField(_l("Only these stakeholder groups (leave all unticked for every group)"),
                                      choices=[], widget=ListWidget(prefix_label=False),
                                      option_widget=CheckboxInput())


class StaffDigestForm(TrackerForm):
    enabled = BooleanField(_l("Send me the staff digest"))
    frequency = RadioField(_l("How often"), choices=FREQUENCY_CHOICES, default="daily")
    language = RadioField(_l("Language of the digest"), choices=LANGUAGE_CHOICES, default="en",
                          validate_choice=False)


class RetryForm(TrackerForm):
    pass
