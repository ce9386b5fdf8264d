"""DCAT documents that RDF harvesters read: the catalog and each dataset in Turtle, JSON-LD and
RDF/XML, with distributions, license and ``dct:conformsTo`` the standard schema."""

from pathlib import Path

import pyshacl
import pytest
from django.test import Client
from rdflib import Graph, Namespace, URIRef, namespace

from jichitai.opendata.tests.factories import dataset, published

pytestmark = pytest.mark.django_db

FORMATS = {"ttl": "turtle", "jsonld": "json-ld", "xml": "xml", "rdf": "xml"}


@pytest.mark.parametrize("extension", ["ttl", "jsonld", "xml", "rdf"])
def test_the_catalog_lists_only_published_datasets(tsu, extension):
    published(tsu, "tsu-aed", title="AED設置箇所一覧(津市)")
    dataset(tsu, "tsu-draft", title="作成中")

    response = Client().get(f"/catalog.{extension}")

    assert response.status_code == 200
    graph = Graph().parse(data=response.content, format=FORMATS[extension])
    titles = {str(o) for o in graph.objects(None, namespace.DCTERMS.title)}
    assert "AED設置箇所一覧(津市)" in titles
    assert "作成中" not in titles
    assert len(list(graph.subjects(namespace.RDF.type, namespace.DCAT.Dataset))) == 1


def test_a_dataset_document_carries_distribution_license_publisher_and_conforms_to(tsu):
    created = published(tsu, "tsu-aed", tags=["AED"])

    response = Client().get("/dataset/tsu-aed.ttl")

    graph = Graph().parse(data=response.content, format="turtle")
    subject = URIRef(f"http://testserver/dataset/{created.ckan_id}")
    assert (subject, namespace.RDF.type, namespace.DCAT.Dataset) in graph
    assert str(graph.value(subject, namespace.DCAT.keyword)) == "AED"
    distribution = graph.value(subject, namespace.DCAT.distribution)
    assert str(graph.value(distribution, namespace.DCTERMS.license)).startswith(
        "https://creativecommons.org/licenses/by/4.0/"
    )
    assert str(graph.value(distribution, namespace.DCTERMS.conformsTo)).endswith(
        "/opendata/standards/aed/legacy.json"
    )
    assert str(graph.value(distribution, namespace.DCAT.downloadURL)).startswith(
        "http://testserver/dataset/"
    )
    publisher = graph.value(subject, namespace.DCTERMS.publisher)
    assert str(graph.value(publisher, namespace.DCTERMS.identifier)) == "242012"


def test_the_conforms_to_address_serves_the_table_schema(tsu):
    response = Client().get("/opendata/standards/aed/legacy.json")

    assert response.status_code == 200
    assert response.json()["title"] == "AED設置箇所一覧"
    assert Client().get("/opendata/standards/aed/nothing.json").status_code == 404
    assert Client().get("/opendata/standards/unknown/current.json").status_code == 404


def test_a_private_dataset_has_no_dcat_document(tsu):
    dataset(tsu, "tsu-draft")

    assert Client().get("/dataset/tsu-draft.ttl").status_code == 404


SHAPES = Path(__file__).parent / "shapes" / "dcat-ap-3.0.0-SHACL.ttl"


def test_the_catalog_conforms_to_the_dcat_ap_shacl_shapes(prefecture, tsu):
    published(tsu, "tsu-aed", title="AED設置箇所一覧(津市)", tags=["AED"])

    response = Client().get("/catalog.ttl")

    data = Graph().parse(data=response.content, format="turtle")
    shapes = Graph().parse(SHAPES, format="turtle")
    conforms, _report, text = pyshacl.validate(data, shacl_graph=shapes, inference="none")
    assert conforms, text
    catalog = URIRef("http://testserver/")
    assert data.value(catalog, namespace.DCTERMS.description) is not None
    assert str(
        data.value(data.value(catalog, namespace.DCTERMS.publisher), namespace.FOAF.name)
    ) == ("三重県")
    size = next(data.objects(None, namespace.DCAT.byteSize))
    assert size.datatype == namespace.XSD.nonNegativeInteger


def test_a_large_catalog_is_paged_with_hydra_links(tsu, monkeypatch):
    from jichitai.opendata import dcat

    monkeypatch.setattr(dcat, "DATASETS_PER_PAGE", 2)
    for number in range(5):
        published(tsu, f"tsu-{number}")
    hydra = Namespace("http://www.w3.org/ns/hydra/core#")

    graph = Graph().parse(data=Client().get("/catalog.ttl?page=2").content, format="turtle")

    view = URIRef("http://testserver/catalog.ttl?page=2")
    assert int(graph.value(view, hydra.totalItems)) == 5
    assert str(graph.value(view, hydra.nextPage)).endswith("?page=3")
    assert str(graph.value(view, hydra.lastPage)).endswith("?page=3")
    assert len(list(graph.subjects(namespace.RDF.type, namespace.DCAT.Dataset))) == 2
