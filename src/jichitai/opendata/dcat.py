"""The catalog in DCAT (RDF), following the DCAT-AP mapping that CKAN's ckanext-dcat uses, so RDF
harvesters read it as they read a CKAN site: ``/catalog.ttl|jsonld|xml`` and the same per dataset.
A resource that follows a standard dataset points at its Table Schema with ``dct:conformsTo``."""

import math
from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, SKOS, XSD

from jichitai.opendata.ckan import Context, package_dict
from jichitai.opendata.models import Dataset

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
# The catalog document lists this many datasets per page, as ckanext-dcat's default.
DATASETS_PER_PAGE = 100
CATALOG_TITLE = "jichitai オープンデータカタログ"
JAPANESE = URIRef("http://publications.europa.eu/resource/authority/language/JPN")
FILE_TYPES = "http://publications.europa.eu/resource/authority/file-type/"
MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
CATALOG_DESCRIPTION = (
    "三重県と県内市町が公開するオープンデータの目録です。"
    "自治体標準オープンデータセットに沿ったデータは、その定義(Table Schema)を dct:conformsTo で示します。"
)


@dataclass(frozen=True)
class Paging:
    page: int
    total: int
    path: str


FREQUENCIES = {
    "continuous": "http://purl.org/cld/freq/continuous",
    "daily": "http://purl.org/cld/freq/daily",
    "weekly": "http://purl.org/cld/freq/weekly",
    "monthly": "http://purl.org/cld/freq/monthly",
    "quarterly": "http://purl.org/cld/freq/quarterly",
    "annual": "http://purl.org/cld/freq/annual",
    "irregular": "http://purl.org/cld/freq/irregular",
}
FORMATS = {
    "rdf": ("xml", "application/rdf+xml"),
    "xml": ("xml", "application/rdf+xml"),
    "ttl": ("turtle", "text/turtle"),
    "jsonld": ("json-ld", "application/ld+json"),
}


def _graph() -> Graph:
    graph = Graph()
    for prefix, namespace in (
        ("dcat", DCAT),
        ("dct", DCTERMS),
        ("foaf", FOAF),
        ("vcard", VCARD),
        ("adms", ADMS),
        ("hydra", HYDRA),
    ):
        graph.bind(prefix, namespace)
    return graph


def _typed(graph: Graph, node: URIRef, kind: URIRef) -> URIRef:
    """``node`` with its class stated, as DCAT-AP's shapes check every value's class."""
    graph.add((node, RDF.type, kind))
    return node


def _datetime(value: str | None) -> Literal | None:
    return Literal(value, datatype=XSD.dateTime) if value else None


def add_dataset(graph: Graph, dataset: Dataset, context: Context) -> URIRef:
    data = package_dict(dataset, context)
    subject = URIRef(context.absolute(f"/dataset/{data['id']}"))
    graph.add((subject, RDF.type, DCAT.Dataset))
    graph.add((subject, DCTERMS.identifier, Literal(data["id"])))
    graph.add((subject, DCTERMS.title, Literal(data["title"], lang="ja")))
    # DCAT-AP requires a description: a dataset without one is described by its title.
    description = data["notes"] or data["title"]
    graph.add((subject, DCTERMS.description, Literal(description, lang="ja")))
    graph.add((subject, DCAT.landingPage, _typed(graph, URIRef(data["url"]), FOAF.Document)))
    for tag in data["tags"]:
        graph.add((subject, DCAT.keyword, Literal(tag["name"], lang="ja")))
    for group in data["groups"]:
        theme = URIRef(context.absolute(f"/group/{group['name']}"))
        graph.add((subject, DCAT.theme, _typed(graph, theme, SKOS.Concept)))
    for predicate, value in (
        (DCTERMS.issued, data["metadata_created"]),
        (DCTERMS.modified, data["metadata_modified"]),
    ):
        graph.add((subject, predicate, _datetime(value)))
    if dataset.frequency in FREQUENCIES:
        frequency = _typed(graph, URIRef(FREQUENCIES[dataset.frequency]), DCTERMS.Frequency)
        graph.add((subject, DCTERMS.accrualPeriodicity, frequency))

    publisher = URIRef(context.absolute(f"/organization/{dataset.organization.code}"))
    graph.add((subject, DCTERMS.publisher, publisher))
    graph.add((publisher, RDF.type, FOAF.Organization))
    graph.add((publisher, RDF.type, FOAF.Agent))
    graph.add((publisher, FOAF.name, Literal(dataset.organization.name, lang="ja")))
    graph.add((publisher, DCTERMS.identifier, Literal(dataset.organization.code)))

    if dataset.contact_name or dataset.contact_email:
        contact = BNode()
        graph.add((subject, DCAT.contactPoint, contact))
        graph.add((contact, RDF.type, VCARD.Organization))
        if dataset.contact_name:
            graph.add((contact, VCARD.fn, Literal(dataset.contact_name, lang="ja")))
        if dataset.contact_email:
            graph.add((contact, VCARD.hasEmail, URIRef(f"mailto:{dataset.contact_email}")))

    license = (
        _typed(graph, URIRef(data["license_url"]), DCTERMS.LicenseDocument)
        if data["license_url"]
        else None
    )
    for resource in data["resources"]:
        distribution = URIRef(context.absolute(f"/dataset/{data['id']}/resource/{resource['id']}"))
        graph.add((subject, DCAT.distribution, distribution))
        graph.add((distribution, RDF.type, DCAT.Distribution))
        graph.add((distribution, DCTERMS.title, Literal(resource["name"], lang="ja")))
        if resource["description"]:
            graph.add(
                (distribution, DCTERMS.description, Literal(resource["description"], lang="ja"))
            )
        if resource["url"]:
            url = _typed(graph, URIRef(resource["url"]), RDFS.Resource)
            graph.add((distribution, DCAT.accessURL, url))
            if resource["url_type"] == "upload":
                graph.add((distribution, DCAT.downloadURL, url))
        if resource["format"]:
            file_type = URIRef(FILE_TYPES + resource["format"].upper())
            graph.add(
                (
                    distribution,
                    DCTERMS["format"],
                    _typed(graph, file_type, DCTERMS.MediaTypeOrExtent),
                )
            )
        if resource["mimetype"]:
            media_type = URIRef(MEDIA_TYPES + resource["mimetype"])
            graph.add((distribution, DCAT.mediaType, _typed(graph, media_type, DCTERMS.MediaType)))
        if resource["size"] is not None:
            graph.add(
                (
                    distribution,
                    DCAT.byteSize,
                    Literal(resource["size"], datatype=XSD.nonNegativeInteger),
                )
            )
        if license is not None:
            graph.add((distribution, DCTERMS.license, license))
        if resource["conforms_to"]:
            schema = _typed(graph, URIRef(resource["conforms_to"]), DCTERMS.Standard)
            graph.add((distribution, DCTERMS.conformsTo, schema))
        graph.add((distribution, DCTERMS.modified, _datetime(resource["last_modified"])))
    return subject


def catalog_graph(datasets, context: Context, *, publisher=None, paging=None) -> Graph:
    graph = _graph()
    catalog = URIRef(context.absolute("/"))
    graph.add((catalog, RDF.type, DCAT.Catalog))
    graph.add((catalog, DCTERMS.title, Literal(CATALOG_TITLE, lang="ja")))
    graph.add((catalog, DCTERMS.description, Literal(CATALOG_DESCRIPTION, lang="ja")))
    homepage = _typed(graph, URIRef(context.absolute("/opendata/")), FOAF.Document)
    graph.add((catalog, FOAF.homepage, homepage))
    graph.add((catalog, DCTERMS.language, _typed(graph, JAPANESE, DCTERMS.LinguisticSystem)))
    if publisher is not None:
        agent = URIRef(context.absolute(f"/organization/{publisher.code}"))
        graph.add((catalog, DCTERMS.publisher, agent))
        graph.add((agent, RDF.type, FOAF.Organization))
        graph.add((agent, RDF.type, FOAF.Agent))
        graph.add((agent, FOAF.name, Literal(publisher.name, lang="ja")))
    for dataset in datasets:
        graph.add((catalog, DCAT.dataset, add_dataset(graph, dataset, context)))
    if paging is not None:
        _add_paging(graph, context, paging)
    return graph


def _add_paging(graph: Graph, context: Context, paging: Paging) -> None:
    """hydra:PagedCollection as ckanext-dcat writes it: the total and the first, previous, next and
    last pages."""
    last = max(1, math.ceil(paging.total / DATASETS_PER_PAGE))

    def page_url(number: int) -> URIRef:
        return URIRef(context.absolute(f"{paging.path}?page={number}"))

    view = page_url(paging.page)
    graph.add((view, RDF.type, HYDRA.PagedCollection))
    graph.add((view, HYDRA.totalItems, Literal(paging.total, datatype=XSD.integer)))
    graph.add((view, HYDRA.itemsPerPage, Literal(DATASETS_PER_PAGE, datatype=XSD.integer)))
    graph.add((view, HYDRA.firstPage, page_url(1)))
    graph.add((view, HYDRA.lastPage, page_url(last)))
    if paging.page > 1:
        graph.add((view, HYDRA.previousPage, page_url(paging.page - 1)))
    if paging.page < last:
        graph.add((view, HYDRA.nextPage, page_url(paging.page + 1)))


def dataset_graph(dataset: Dataset, context: Context) -> Graph:
    graph = _graph()
    add_dataset(graph, dataset, context)
    return graph


def serialize(graph: Graph, extension: str) -> tuple[bytes, str]:
    rdflib_format, content_type = FORMATS[extension]
    return graph.serialize(format=rdflib_format, encoding="utf-8"), f"{content_type}; charset=utf-8"
