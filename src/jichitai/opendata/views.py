"""Staff pages of the open data catalog: an organization's datasets, their files with the conversion
and validation reports, publishing, statistics from procedures, and (for the prefecture) groups and
the municipalities' overview."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jichitai.core.files import private_file_response
from jichitai.core.forms import add_service_errors
from jichitai.opendata import selectors, services
from jichitai.opendata.forms import (
    DatasetForm,
    GroupForm,
    PublishForm,
    ReplaceFileForm,
    ResourceForm,
    StatisticsForm,
)
from jichitai.opendata.licenses import LICENSES
from jichitai.opendata.models import Dataset
from jichitai.opendata.preview import table_preview
from jichitai.opendata.rating import openness_stars
from jichitai.procedures import selectors as procedures
from jichitai.tenancy.middleware import requires_role
from jichitai.tenancy.models import Organization, Role
from jichitai.tenancy.selectors import divisions_of


@requires_role(Role.VIEWER)
def dataset_list(request, org_code):
    datasets = selectors.dataset_list(request.tenant)
    deleted = (
        selectors.deleted_datasets_of(request.tenant)
        if request.membership.has_role(Role.MANAGER)
        else []
    )
    return render(
        request, "opendata/staff/dataset_list.html", {"datasets": datasets, "deleted": deleted}
    )


@requires_role(Role.CLERK)
@require_http_methods(["GET", "POST"])
def dataset_create(request, org_code):
    form = DatasetForm(
        request.POST or None,
        divisions=divisions_of(request.tenant),
        initial={"division": request.membership.division},
    )
    if request.method == "POST" and form.is_valid():
        try:
            dataset = services.create_dataset(
                actor=request.user, organization=request.tenant, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("データセットを作成しました。続けてファイルを登録してください。")
            )
            return redirect("opendata:resource_add", org_code=org_code, dataset_id=dataset.pk)
    return render(request, "opendata/staff/dataset_form.html", {"form": form, "creating": True})


def _dataset_page(request, dataset, publish_form, status=200):
    resources = selectors.resources_of(dataset)
    return render(
        request,
        "opendata/staff/dataset_detail.html",
        {
            "dataset": dataset,
            "resources": resources,
            "problems": services.publication_problems(dataset=dataset),
            "stars": openness_stars(dataset.license_id, [r.format for r in resources]),
            "license": LICENSES.get(dataset.license_id),
            "publish_form": publish_form,
            "may_override": request.membership.has_role(Role.MANAGER),
        },
        status=status,
    )


@requires_role(Role.VIEWER)
def dataset_detail(request, org_code, dataset_id):
    dataset = selectors.dataset_of(request.tenant, dataset_id)
    return _dataset_page(request, dataset, PublishForm())


@requires_role(Role.CLERK)
@require_http_methods(["GET", "POST"])
def dataset_edit(request, org_code, dataset_id):
    dataset = selectors.dataset_of(request.tenant, dataset_id)
    form = DatasetForm(
        request.POST or None,
        divisions=divisions_of(request.tenant),
        initial=DatasetForm.initial_for(dataset),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_dataset(actor=request.user, dataset=dataset, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("データセットを更新しました。"))
            return redirect("opendata:dataset", org_code=org_code, dataset_id=dataset.pk)
    return render(request, "opendata/staff/dataset_form.html", {"form": form, "dataset": dataset})


@requires_role(Role.CLERK)
@require_POST
def dataset_publish(request, org_code, dataset_id):
    dataset = selectors.dataset_of(request.tenant, dataset_id)
    form = PublishForm(request.POST)
    form.is_valid()
    try:
        services.publish_dataset(
            actor=request.user,
            dataset=dataset,
            may_override=request.membership.has_role(Role.MANAGER),
            override_reason=form.cleaned_data.get("override_reason", ""),
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return _dataset_page(request, dataset, form, status=400)
    messages.success(request, _("データセットを公開しました。"))
    return redirect("opendata:dataset", org_code=org_code, dataset_id=dataset.pk)


@requires_role(Role.CLERK)
@require_POST
def dataset_unpublish(request, org_code, dataset_id):
    dataset = selectors.dataset_of(request.tenant, dataset_id)
    services.unpublish_dataset(actor=request.user, dataset=dataset)
    messages.success(request, _("データセットを非公開にしました。"))
    return redirect("opendata:dataset", org_code=org_code, dataset_id=dataset.pk)


@requires_role(Role.MANAGER)
@require_http_methods(["GET", "POST"])
def dataset_delete(request, org_code, dataset_id):
    """Says who loses the dataset (the catalog's readers and harvesters, if it is published)
    and deletes it once confirmed."""
    dataset = selectors.dataset_of(request.tenant, dataset_id)
    if request.method == "POST":
        services.delete_dataset(actor=request.user, dataset=dataset)
        messages.success(
            request, _("データセット「%(title)s」を削除しました。") % {"title": dataset.title}
        )
        return redirect("opendata:list", org_code=org_code)
    return render(
        request,
        "opendata/staff/dataset_delete.html",
        {"dataset": dataset, "resources": selectors.resources_of(dataset)},
    )


@requires_role(Role.MANAGER)
@require_POST
def dataset_restore(request, org_code, dataset_id):
    dataset = selectors.dataset_of(request.tenant, dataset_id)
    services.restore_dataset(actor=request.user, dataset=dataset)
    restored = (
        _("データセット「%(title)s」を元に戻しました。非公開のままです。")
        if dataset.private
        else _("データセット「%(title)s」を元に戻しました。削除する前と同じく公開中です。")
    )
    messages.success(request, restored % {"title": dataset.title})
    return redirect("opendata:dataset", org_code=org_code, dataset_id=dataset.pk)


@requires_role(Role.CLERK)
@require_http_methods(["GET", "POST"])
def resource_add(request, org_code, dataset_id):
    dataset = selectors.dataset_of(request.tenant, dataset_id)
    form = ResourceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            resource = services.add_resource(
                actor=request.user,
                dataset=dataset,
                upload=form.cleaned_data["upload"],
                url=form.cleaned_data["url"],
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                standard=form.cleaned_data["standard"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            shown = selectors.shown_resource(resource)
            messages.success(request, _("「%(name)s」を登録しました。") % {"name": resource.name})
            return redirect("opendata:resource", org_code=org_code, resource_id=shown.pk)
    return render(request, "opendata/staff/resource_form.html", {"form": form, "dataset": dataset})


def _resource_page(request, resource, replace_form, status=200):
    source = selectors.file_source(resource)
    return render(
        request,
        "opendata/staff/resource_detail.html",
        {
            "resource": resource,
            "dataset": resource.dataset,
            "source": source,
            "preview": table_preview(resource),
            "replace_form": replace_form,
            "conversion_offered": selectors.layout_conversion_offered(resource),
            "layout_conversion": selectors.layout_conversion_of(resource),
        },
        status=status,
    )


@requires_role(Role.VIEWER)
def resource_detail(request, org_code, resource_id):
    resource = selectors.resource_of(request.tenant, resource_id)
    source = selectors.file_source(resource)
    form = ReplaceFileForm(initial={"standard": selectors.resource_standard(source)})
    return _resource_page(request, resource, form)


@requires_role(Role.CLERK)
@require_POST
def resource_replace(request, org_code, resource_id):
    resource = selectors.resource_of(request.tenant, resource_id)
    source = selectors.file_source(resource)
    form = ReplaceFileForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.replace_resource_file(
                actor=request.user,
                resource=source,
                upload=form.cleaned_data["upload"],
                standard=form.cleaned_data["standard"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("ファイルを差し替え、検証し直しました。"))
            shown = selectors.shown_resource(source)
            return redirect("opendata:resource", org_code=org_code, resource_id=shown.pk)
    return _resource_page(request, resource, form, status=400)


@requires_role(Role.CLERK)
@require_http_methods(["GET", "POST"])
def resource_delete(request, org_code, resource_id):
    """Says what goes with the file (what was made from it; links to a published one) and
    deletes it once confirmed."""
    resource = selectors.resource_of(request.tenant, resource_id)
    source = selectors.file_source(resource)
    dataset = source.dataset
    if request.method == "POST":
        services.delete_resource(actor=request.user, resource=source)
        messages.success(request, _("「%(name)s」を削除しました。") % {"name": source.name})
        return redirect("opendata:dataset", org_code=org_code, dataset_id=dataset.pk)
    return render(
        request,
        "opendata/staff/resource_delete.html",
        {
            "resource": resource,
            "source": source,
            "dataset": dataset,
            "made": selectors.made_from(source),
        },
    )


@requires_role(Role.CLERK)
@require_POST
def resource_convert(request, org_code, resource_id):
    resource = selectors.resource_of(request.tenant, resource_id)
    try:
        converted = services.convert_to_current_layout(actor=request.user, resource=resource)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("opendata:resource", org_code=org_code, resource_id=resource.pk)
    messages.success(request, _("現行の形式に変換した CSV を作り、検証しました。"))
    return redirect("opendata:resource", org_code=org_code, resource_id=converted.pk)


@requires_role(Role.VIEWER)
def resource_file(request, org_code, resource_id):
    resource = selectors.resource_of(request.tenant, resource_id)
    if not resource.is_upload:
        return redirect(resource.url)
    return private_file_response(
        resource.file, filename=resource.filename, content_type=resource.mimetype or None
    )


@requires_role(Role.CLERK)
@require_http_methods(["GET", "POST"])
def statistics_create(request, org_code):
    form = StatisticsForm(request.POST or None, procedures=procedures.procedures_of(request.tenant))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            dataset = services.create_statistics_dataset(
                actor=request.user,
                organization=request.tenant,
                procedure=data["procedure"],
                name=data["name"],
                title=data["title"],
                suppression_threshold=data["suppression_threshold"],
                license_id=data["license_id"],
                frequency=Dataset.Frequency.DAILY,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("集計データセットを作成しました。毎日自動で更新されます。"))
            return redirect("opendata:dataset", org_code=org_code, dataset_id=dataset.pk)
    return render(request, "opendata/staff/statistics_form.html", {"form": form})


@requires_role(Role.CLERK)
@require_POST
def statistics_refresh(request, org_code, dataset_id):
    dataset = selectors.dataset_of(request.tenant, dataset_id)
    if dataset.source_procedure_id:
        services.refresh_statistics(dataset=dataset, actor=request.user)
        messages.success(request, _("集計を最新にしました。"))
    return redirect("opendata:dataset", org_code=org_code, dataset_id=dataset.pk)


@requires_role(Role.ADMIN, organization_kind=Organization.Kind.PREFECTURE)
@require_http_methods(["GET", "POST"])
def group_list(request, org_code):
    form = GroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_group(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("分類を追加しました。"))
            return redirect("opendata:groups", org_code=org_code)
    groups = selectors.groups_with_dataset_counts()
    return render(request, "opendata/staff/group_list.html", {"form": form, "groups": groups})


@requires_role(Role.VIEWER, organization_kind=Organization.Kind.PREFECTURE)
def municipalities(request, org_code):
    rows = selectors.municipality_overview(request.tenant)
    return render(
        request,
        "opendata/staff/municipalities.html",
        {"rows": rows, "publishing": sum(1 for row in rows if row["published"])},
    )
