"""Staff pages that build a plan's structure: adding a level, an indicator or an action,
correcting a level's or an indicator's wording, and removing an element or deleting a whole plan
made by mistake (the plan's managers only)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from jichitai.core.forms import add_service_errors
from jichitai.pdca import removals, selectors, services
from jichitai.pdca.forms import ActionForm, IndicatorForm, NodeForm, PlanDeleteForm
from jichitai.tenancy.middleware import requires_role
from jichitai.tenancy.models import Role

# A level's, an indicator's and an action's own fields, as the edit forms show them.
NODE_FIELDS = ("title", "summary")
INDICATOR_FIELDS = tuple(IndicatorForm.base_fields)
ACTION_FIELDS = ("title", "division_name", "category")


@require_http_methods(["GET", "POST"])
@requires_role(Role.MANAGER)
def structure_add(request, org_code, plan_id, part):
    """Adds a level, an indicator or an action to the plan; the new indicator or action opens on
    its own page, where its figures or schedule per 年度 are entered."""
    plan = selectors.plan_of(request.tenant, plan_id)
    if part == "node":
        form = NodeForm(request.POST or None)
        heading = _("%(level)sを追加") % {"level": plan.level_name}
    elif part == "indicator":
        form = IndicatorForm(request.POST or None)
        heading = _("指標を追加")
    elif part == "action" and selectors.has_levels(plan):
        form = ActionForm(request.POST or None, plan=plan)
        heading = _("取組を追加")
    else:
        raise Http404
    if request.method == "POST" and form.is_valid():
        add = {
            "node": services.add_node,
            "indicator": services.add_indicator,
            "action": services.add_action,
        }[part]
        try:
            added = add(actor=request.user, plan=plan, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("「%(name)s」を追加しました。") % {"name": added})
            if part == "indicator":
                return redirect(
                    "pdca:indicator", org_code=org_code, plan_id=plan.pk, indicator_id=added.pk
                )
            if part == "action":
                return redirect(
                    "pdca:action", org_code=org_code, plan_id=plan.pk, action_id=added.pk
                )
            return redirect("pdca:plan", org_code=org_code, plan_id=plan.pk)
    return render(
        request,
        "pdca/structure_form.html",
        {"plan": plan, "form": form, "heading": heading, "submit": _("追加")},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@requires_role(Role.MANAGER)
def structure_edit(request, org_code, plan_id, part, element_id):
    """Corrects a level's name, an indicator's wording and baseline, or an action's wording,
    担当課, 区分 and level."""
    plan = selectors.plan_of(request.tenant, plan_id)
    if part == "node":
        item = selectors.node_of(plan, element_id)
        form = NodeForm(request.POST or None, initial={f: getattr(item, f) for f in NODE_FIELDS})
        heading = _("%(level)sの名称を変更") % {"level": plan.level_name}
        remove_label = _("この%(level)sを削除する") % {"level": plan.level_name}
        change, back = services.change_node, redirect("pdca:plan", org_code, plan.pk)
    elif part == "indicator":
        item = selectors.indicator_of(plan, element_id)
        form = IndicatorForm(
            request.POST or None, initial={f: getattr(item, f) for f in INDICATOR_FIELDS}
        )
        heading = _("指標の設定を変更")
        remove_label = _("この指標を削除する")
        change = services.change_indicator
        back = redirect("pdca:indicator", org_code, plan.pk, item.pk)
    elif part == "action":
        item = selectors.action_of(plan, element_id)
        form = ActionForm(
            request.POST or None,
            plan=plan,
            initial={"node": item.node_id, **{f: getattr(item, f) for f in ACTION_FIELDS}},
        )
        heading = _("取組の内容を変更")
        remove_label = _("この取組を削除する")
        change = services.change_action
        back = redirect("pdca:action", org_code, plan.pk, item.pk)
    else:
        raise Http404
    if request.method == "POST" and form.is_valid():
        try:
            change(actor=request.user, **{part: item}, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("「%(name)s」を保存しました。") % {"name": item})
            return back
    return render(
        request,
        "pdca/structure_form.html",
        {
            "plan": plan,
            "form": form,
            "heading": heading,
            "submit": _("保存"),
            "part": part,
            "element": item,
            "remove_label": remove_label,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@requires_role(Role.MANAGER)
def plan_delete(request, org_code, plan_id):
    """Shows what goes with the plan and deletes it once its name is typed; a published plan
    is only told why it stays."""
    plan = selectors.plan_of(request.tenant, plan_id)
    form = PlanDeleteForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:  # the service refuses a published plan
            services.delete_plan(actor=request.user, plan=plan)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("計画「%(name)s」を削除しました。") % {"name": plan.name})
            return redirect("pdca:plans", org_code=org_code)
    return render(
        request,
        "pdca/plan_delete.html",
        {
            "plan": plan,
            "form": form,
            "published": removals.is_published(plan),
            "contents": removals.plan_contents(plan),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@requires_role(Role.MANAGER)
def structure_remove(request, org_code, plan_id, part, element_id):
    """Shows what goes with a level, an indicator or an action and removes it once confirmed, or
    says what stops it."""
    plan = selectors.plan_of(request.tenant, plan_id)
    find = {
        "node": selectors.node_of,
        "indicator": selectors.indicator_of,
        "action": selectors.action_of,
    }.get(part)
    if find is None:
        raise Http404
    element = find(plan, element_id)
    if request.method == "POST":
        try:  # the service refuses what removals.removal says cannot go
            services.remove_element(actor=request.user, plan=plan, element=element)
        except ValidationError:
            pass  # the page below says why, from the same reading
        else:
            messages.success(request, _("「%(name)s」を削除しました。") % {"name": element})
            return redirect("pdca:plan", org_code=org_code, plan_id=plan.pk)
    return render(
        request,
        "pdca/structure_remove.html",
        {
            "plan": plan,
            "part": part,
            "element": element,
            "removal": removals.removal(plan, element),
        },
        status=400 if request.method == "POST" else 200,
    )
