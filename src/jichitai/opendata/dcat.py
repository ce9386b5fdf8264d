"""The catalog in DCAT (RDF), following the DCAT-AP mapping that CKAN's ckanext-dcat uses, so RDF
harvesters read it as they read a CKAN site: ``/catalog.ttl|jsonld|xml`` and the same per dataset.
A resource that follows a standard dataset points at its Table Schema with ``dct:conformsTo``."""

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

from jichitai.opendata.ckan import Context, package_dict
from jichitai.opendata.models import Dataset

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
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
    ):
        graph.bind(prefix, namespace)
    return graph


def _datetime(value: str | None) -> Literal | None:
    return Literal(value, datatype=XSD.dateTime) if value else None


def add_dataset(graph: Graph, dataset: Dataset, context: Context) -> URIRef:
    data = package_dict(dataset, context)
    subject = URIRef(context.absolute(f"/dataset/{data['id']}"))
    graph.add((subject, RDF.type, DCAT.Dataset))
    graph.add((subject, DCTERMS.identifier, Literal(data["id"])))
    graph.add((subject, DCTERMS.title, Literal(data["title"], lang="ja")))
    if data["notes"]:
        graph.add((subject, DCTERMS.description, Literal(data["notes"], lang="ja")))
    graph.add((subject, DCAT.landingPage, URIRef(data["url"])))
    for tag in data["tags"]:
        graph.add((subject, DCAT.keyword, Literal(tag["name"], lang="ja")))
    for group in data["groups"]:
        graph.add((subject, DCAT.theme, URIRef(context.absolute(f"/group/{group['name']}"))))
    for predicate, value in (
        (DCTERMS.issued, data["metadata_created"]),
        (DCTERMS.modified, data["metadata_modified"]),
    ):
        graph.add((subject, predicate, _datetime(value)))
    if dataset.frequency in FREQUENCIES:
        graph.add((subject, DCTERMS.accrualPeriodicity, URIRef(FREQUENCIES[dataset.frequency])))

    publisher = URIRef(context.absolute(f"/organization/{dataset.organization.code}"))
    graph.add((subject, DCTERMS.publisher, publisher))
    graph.add((publisher, RDF.type, FOAF.Organization))
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

    license = URIRef(data["license_url"]) if data["license_url"] else None
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
            graph.add((distribution, DCAT.accessURL, URIRef(resource["url"])))
            if resource["url_type"] == "upload":
                graph.add((distribution, DCAT.downloadURL, URIRef(resource["url"])))
        if resource["format"]:
            graph.add((distribution, DCTERMS["format"], Literal(resource["format"])))
        if resource["mimetype"]:
            graph.add((distribution, DCAT.mediaType, Literal(resource["mimetype"])))
        if resource["size"] is not None:
            graph.add(
                (distribution, DCAT.byteSize, Literal(resource["size"], datatype=XSD.decimal))
            )
        if license is not None:
            graph.add((distribution, DCTERMS.license, license))
        if resource["conforms_to"]:
            graph.add((distribution, DCTERMS.conformsTo, URIRef(resource["conforms_to"])))
        graph.add((distribution, DCTERMS.modified, _datetime(resource["last_modified"])))
    return subject


def catalog_graph(datasets, context: Context) -> Graph:
    graph = _graph()
    catalog = URIRef(context.absolute("/"))
    graph.add((catalog, RDF.type, DCAT.Catalog))
    graph.add((catalog, DCTERMS.title, Literal("jichitai オープンデータカタログ", lang="ja")))
    graph.add((catalog, FOAF.homepage, URIRef(context.absolute("/opendata/"))))
    graph.add((catalog, DCTERMS.language, Literal("ja")))
    for dataset in datasets:
        graph.add((catalog, DCAT.dataset, add_dataset(graph, dataset, context)))
    return graph


def dataset_graph(dataset: Dataset, context: Context) -> Graph:
    graph = _graph()
    add_dataset(graph, dataset, context)
    return graph


def serialize(graph: Graph, extension: str) -> tuple[bytes, str]:
    rdflib_format, content_type = FORMATS[extension]
    return graph.serialize(format=rdflib_format, encoding="utf-8"), f"{content_type}; charset=utf-8"
