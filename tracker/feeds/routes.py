"""Admin pages for sources. Routes parse, call one operation and render; tracker/transactions.py commits
(a response below 400) or rolls back, and domain errors are shown on the form field they name."""
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from tracker.auth.decorators import staff_required
from tracker.errors import DomainError, attach_to_form
from tracker.extensions import db
from tracker.feeds.forms import FeedForm, ToggleForm
from tracker.feeds.operations import (add_source, delete_source, edit_source, get_source, set_active,
                                      source_input_from, validated)
from tracker.feeds.pages import PageSpec
from tracker.feeds.polling import poll_feeds
from tracker.feeds.queries import sources_with_counts
from tracker.feeds.trial import try_source

bp = Blueprint("feeds", __name__, url_prefix="/admin/feeds")


def _index(form: FeedForm, status: int = 200):
    return render_template("feeds/index.html", rows=sources_with_counts(db.session), form=form,
                           toggle=ToggleForm()), status


@bp.route("", methods=["GET", "POST"])
@staff_required("manage_feeds")
def index():
    form = FeedForm()
    if form.validate_on_submit():
        try:
            feed = add_source(db.session, form.source_input())
        except DomainError as exc:
            attach_to_form(form, exc, "url")
        else:
            flash(_("Source “%(name)s” added; it will be polled within a minute. Use “Test this source” to see "
                    "what it reads.", name=feed.name))
            return redirect(url_for("feeds.index"))
    return _index(form, 400 if form.errors or form.form_errors else 200)


@bp.route("/<int:feed_id>/edit", methods=["GET", "POST"])
@staff_required("manage_feeds")
def edit(feed_id: int):
    feed = get_source(db.session, feed_id)
    form = FeedForm(data=vars(source_input_from(feed)))
    if form.validate_on_submit():
        try:
            edit_source(db.session, feed_id, form.source_input())
        except DomainError as exc:
            attach_to_form(form, exc, "url")
        else:
            flash(_("Source “%(name)s” saved.", name=feed.name))
            return redirect(url_for("feeds.index"))
    status = 400 if form.errors or form.form_errors else 200
    return render_template("feeds/edit.html", feed=feed, form=form, toggle=ToggleForm()), status


@bp.route("/<int:feed_id>/test", methods=["GET", "POST"])
@staff_required("manage_feeds")
def test(feed_id: int):
    """Fetch now and show what would be stored, storing nothing. POST tries the edit form's unsaved values."""
    feed = get_source(db.session, feed_id)
    form = FeedForm()
    spec, url = None, None
    if form.is_submitted():
        if not form.validate():
            return render_template("feeds/edit.html", feed=feed, form=form, toggle=ToggleForm()), 400
        try:
            values = validated(form.source_input())
        except DomainError as exc:
            attach_to_form(form, exc, "url")
            return render_template("feeds/edit.html", feed=feed, form=form, toggle=ToggleForm()), 400
        url = values["url"]
        if values["source_type"] == "page":
            spec = PageSpec(values["item_selector"], values["title_selector"], values["link_selector"],
                            values["date_selector"], values["summary_selector"])
    trial = try_source(feed, spec, url)
    return render_template("feeds/test.html", feed=feed, trial=trial, spec=spec, url=url or feed.url,
                           toggle=ToggleForm()), 200


@bp.post("/<int:feed_id>/poll")
@staff_required("manage_feeds")
def poll_now(feed_id: int):
    """Polls this source at once. Like a job, the poll commits what it stores itself (one unit of work)."""
    feed = get_source(db.session, feed_id)
    if not ToggleForm().validate_on_submit():
        return redirect(url_for("feeds.index"))
    report = poll_feeds(db.session, [feed.id])
    if report.skipped_reason:
        flash(_("Not polled: %(why)s", why=report.skipped_reason))
    elif not report.feeds:
        flash(_("“%(name)s” is being polled by another poller right now.", name=feed.name))
    for r in report.feeds:
        if r.error:
            flash(_("“%(name)s” failed: %(error)s", name=r.name, error=r.error))
        else:
            flash(_("“%(name)s” polled: %(fetched)s items read, %(stored)s stored, %(suggested)s suggestions.",
                    name=r.name, fetched=r.fetched, stored=r.stored, suggested=r.suggested))
    return redirect(url_for("feeds.index"))


@bp.route("/<int:feed_id>/delete", methods=["GET", "POST"])
@staff_required("manage_feeds")
def delete(feed_id: int):
    feed = get_source(db.session, feed_id)
    form = ToggleForm()
    if form.validate_on_submit():
        name = delete_source(db.session, feed_id)
        flash(_("Source “%(name)s” deleted with its items and their suggestions.", name=name))
        return redirect(url_for("feeds.index"))
    return render_template("feeds/delete.html", feed=feed, form=form)


@bp.post("/<int:feed_id>/toggle")
@staff_required("manage_feeds")
def toggle(feed_id: int):
    feed = get_source(db.session, feed_id)
    if ToggleForm().validate_on_submit():
        set_active(db.session, feed, not feed.active)
        flash(_("“%(name)s” is now %(state)s.", name=feed.name, state=_("active") if feed.active else _("paused")))
    return redirect(url_for("feeds.index"))
