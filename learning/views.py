"""A review's lessons (its own and its recommendations, tagged by theme and agency), its
learning brief (HTML and PDF) and where its learning was shared. Each page goes through the
review's door: 404 outside the review, 403 for those who may not read its report or act here."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from learning.briefs import brief_pdf_response
from learning.forms import (
    BriefApproveForm,
    BriefDraftForm,
    BriefEditForm,
    DisseminationForm,
    LessonAddForm,
    LessonChangeForm,
    RecommendationTagForm,
)
from learning.permissions import (
    can_manage_brief,
    can_manage_lessons,
    can_record_dissemination,
    can_view_lessons,
)
from learning.selectors import (
    brief_get,
    dissemination_list,
    lesson_get,
    lesson_list,
    lesson_suggestions,
    recommendation_get,
    recommendation_list,
)
from learning.services import (
    brief_approve,
    brief_draft,
    brief_edit,
    brief_identifier_hits,
    dissemination_record,
    lesson_add,
    lesson_change,
    recommendation_tag,
)
from reviews.doors import part_door, review_door
from scr.forms import form_page, form_submit, is_conflict
from scr.versions import version_of


def _door(request, reference, may=can_view_lessons):
    """The review, if the person reads its lessons (404 outside it, 403 otherwise) and ``may``."""

    def allowed(user, review):
        return can_view_lessons(user, review) and may(user, review)

    return review_door(request, reference, may=allowed, kind="lessons")


def _lessons_url(reference):
    return reverse("lessons:list", args=[reference])


@login_required
@require_GET
def lesson_list_view(request, reference):
    review = _door(request, reference)
    can_manage = can_manage_lessons(request.user, review)
    context = {
        "review": review,
        "recommendations": recommendation_list(review=review),
        "lessons": lesson_list(review=review),
        "suggestions": lesson_suggestions(review=review) if can_manage else [],
        "can_manage": can_manage,
        "brief": brief_get(review=review),
    }
    return render(request, "learning/lesson_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def lesson_add_view(request, reference):
    review = _door(request, reference, can_manage_lessons)
    suggestions = lesson_suggestions(review=review)
    index = request.GET.get("suggestion", "")
    initial = {}
    if index.isdigit() and int(index) < len(suggestions):
        initial = {"title": suggestions[int(index)][:200], "text": suggestions[int(index)]}
    return form_page(
        request,
        LessonAddForm(request.POST or None, initial=initial),
        lesson_add,
        message=lambda lesson: f"Lesson added: {lesson.title}",
        success_url=_lessons_url(reference),
        template="learning/lesson_form.html",
        context={"review": review, "heading": "Add a lesson", "submit": "Add lesson"},
        review=review,
    )


@login_required
@require_http_methods(["GET", "POST"])
def lesson_change_view(request, reference, pk):
    review = _door(request, reference, can_manage_lessons)
    lesson = part_door(
        request, lesson_get(review=review, pk=pk), kind="lesson", ref=f"{reference}/lessons/{pk}"
    )
    initial = {
        "version": version_of(lesson),
        "title": lesson.title,
        "text": lesson.text,
        "themes": list(lesson.themes.all()),
        "agencies": list(lesson.agencies.all()),
    }
    return form_page(
        request,
        LessonChangeForm(request.POST or None, initial=initial),
        lesson_change,
        message="Lesson saved",
        success_url=_lessons_url(reference),
        template="learning/lesson_form.html",
        context={"review": review, "heading": "Change the lesson", "submit": "Save lesson"},
        lesson=lesson,
    )


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_tag_view(request, reference, number):
    review = _door(request, reference, can_manage_lessons)
    recommendation = part_door(
        request,
        recommendation_get(review=review, number=number),
        kind="recommendation",
        ref=f"{reference}/recommendations/{number}",
    )
    lesson = getattr(recommendation, "lesson", None)
    initial = {
        "version": version_of(lesson),
        "themes": list(lesson.themes.all()) if lesson else [],
        "agencies": list(lesson.agencies.all()) if lesson else [],
    }
    return form_page(
        request,
        RecommendationTagForm(request.POST or None, initial=initial),
        recommendation_tag,
        message=f"Recommendation {number} tagged",
        success_url=_lessons_url(reference),
        template="learning/recommendation_form.html",
        context={"review": review, "recommendation": recommendation},
        recommendation=recommendation,
    )


def _brief_context(request, review):
    brief = brief_get(review=review)
    can_manage = can_manage_brief(request.user, review)
    return {
        "review": review,
        "brief": brief,
        "version": version_of(brief),
        "can_manage": can_manage,
        "hits": brief_identifier_hits(brief) if brief and can_manage and brief.is_public else [],
    }


@login_required
@require_GET
def brief_view(request, reference):
    review = _door(request, reference)
    return render(request, "learning/brief_detail.html", _brief_context(request, review))


def _brief_action(request, reference, form_class, service, message):
    """A button on the brief's page (draft from the lessons, approve), posted: the service runs;
    if it refuses, the brief's page shows again with its error (409 on a stale version)."""
    review = _door(request, reference, can_manage_brief)
    form = form_class(request.POST)
    if service is brief_draft:
        target = {"review": review}
    else:
        ref = f"{reference}/brief"
        target = {
            "brief": part_door(request, brief_get(review=review), kind="learning_brief", ref=ref)
        }
    if form_submit(request, form, service, message, **target):
        return redirect("lessons:brief", reference)
    context = {**_brief_context(request, review), "action_form": form}
    status = 409 if is_conflict(form) else 200
    return render(request, "learning/brief_detail.html", context, status=status)


@login_required
@require_POST
def brief_draft_view(request, reference):
    return _brief_action(
        request, reference, BriefDraftForm, brief_draft, "Brief drafted from the lessons"
    )


@login_required
@require_POST
def brief_approve_view(request, reference):
    return _brief_action(request, reference, BriefApproveForm, brief_approve, "Brief approved")


@login_required
@require_http_methods(["GET", "POST"])
def brief_edit_view(request, reference):
    review = _door(request, reference, can_manage_brief)
    brief = part_door(
        request, brief_get(review=review), kind="learning_brief", ref=f"{reference}/brief"
    )
    fields = ("title", "audience", *(name for name, _ in brief.SECTIONS))
    initial = {"version": version_of(brief), **{name: getattr(brief, name) for name in fields}}
    return form_page(
        request,
        BriefEditForm(request.POST or None, initial=initial),
        brief_edit,
        message="Brief saved",
        success_url=reverse("lessons:brief", args=[reference]),
        template="learning/brief_form.html",
        context={"review": review},
        brief=brief,
    )


@login_required
@require_GET
def brief_pdf_view(request, reference):
    review = _door(request, reference)
    brief = part_door(
        request, brief_get(review=review), kind="learning_brief", ref=f"{reference}/brief.pdf"
    )
    return brief_pdf_response(brief, internal=True)


@login_required
@require_GET
def dissemination_list_view(request, reference):
    review = _door(request, reference)
    context = {
        "review": review,
        "records": dissemination_list(review=review),
        "can_record": can_record_dissemination(request.user, review),
    }
    return render(request, "learning/dissemination_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def dissemination_add_view(request, reference):
    review = _door(request, reference, can_record_dissemination)
    return form_page(
        request,
        DisseminationForm(request.POST or None),
        dissemination_record,
        message="Sharing recorded",
        success_url=reverse("lessons:dissemination", args=[reference]),
        template="learning/dissemination_form.html",
        context={"review": review},
        review=review,
    )
