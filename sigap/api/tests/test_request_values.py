"""What a request body may carry: quantities, prices and counts as JSON numbers, and text that a database can
store. Both are checked for every operation, from the API's own schema."""

import json

import pytest

from conftest import client_for
from sigap.market.models import Listing
from sigap.partners.models import Partner
from sigap.production.models import Batch

NOT_A_NUMBER = ("Send this as a JSON number (1000 for one thousand, 2.5 for two and a half), not as text or "
                "true/false.")
NOT_A_NUMBER_ID = ("Kirim sebagai angka JSON (1000 untuk seribu, 2.5 untuk dua setengah), bukan sebagai teks atau "
                   "true/false.")
SURROGATE = "Text may not contain lone surrogate characters (\\ud800 to \\udfff)."


def _openapi() -> dict:
    from sigap.api.api import api

    return api.get_openapi_schema()


def _numbers(schema: dict, node: dict, path: tuple = ()):
    """The path of every number a request body holds ("lines", 0, "quantity"), except records' ids, with the
    field's schema."""
    def resolve(node):
        while "$ref" in node:
            node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
        return node

    node = resolve(node)
    for name, field in node.get("properties", {}).items():
        if name == "id" or name.endswith(("_id", "_ids")):
            continue
        for option in (resolve(o) for o in resolve(field).get("anyOf", [resolve(field)])):
            if option.get("type") in ("integer", "number"):
                yield (*path, name), resolve(field)
                break
            if option.get("type") == "array" and resolve(option["items"]).get("properties"):
                yield from _numbers(schema, option["items"], (*path, name, 0))
            elif option.get("properties"):
                yield from _numbers(schema, option, (*path, name))


def _operations_with_a_body() -> list[tuple[str, str, dict]]:
    schema = _openapi()
    return [(method.upper(), url, operation["requestBody"]["content"]["application/json"]["schema"])
            for url, operations in schema["paths"].items() for method, operation in operations.items()
            if "requestBody" in operation]


def _number_fields() -> list[tuple[str, str, tuple]]:
    schema = _openapi()
    return [(method, url, path) for method, url, body in _operations_with_a_body()
            for path, _field in _numbers(schema, body)]


def _body_with(path: tuple, value):
    """{"lines": [{"quantity": value}]} for ("lines", 0, "quantity")."""
    body = value
    for part in reversed(path):
        body = [body] if part == 0 else {part: body}
    return body


def _url(url: str) -> str:
    """Any value for the path's parameters: the body is refused before an operation looks anything up."""
    import re

    return re.sub(r"\{[^}]+\}", "1", url)


def _send(user, method: str, url: str, body: str, *, language: str = "en"):
    client = client_for(user)
    if language:
        client.cookies.load({"django_language": language})
    return client.generic(method, url, body, content_type="application/json")


# --- numbers -----------------------------------------------------------------------------------------------------

def test_every_operation_taking_a_quantity_a_price_or_a_count_is_found():
    fields = {(method, url.removeprefix("/api/v1"), ".".join(map(str, path))) for method, url, path in _number_fields()}
    assert {("POST", "/stock/issues", "lines.0.quantity"), ("PUT", "/items/{item_id}/components",
                                                               "components.0.quantity"),
            ("POST", "/market/listings", "price"), ("POST", "/market/sales", "unit_price"),
            ("POST", "/production/batches", "quantity"), ("POST", "/trainings", "target"),
            ("POST", "/partners", "products.0.weekly_capacity"), ("POST", "/inspections", "sample_size"),
            ("POST", "/handovers/requests/{request_id}/allocation/{product}", "quantities.0.quantity")} <= fields
    assert not any(path.endswith("_id") for _m, _u, path in fields)


@pytest.mark.security
@pytest.mark.parametrize("value", ["1.000", "1000", True], ids=["text-1.000", "text-1000", "true"])
def test_a_number_sent_as_text_or_as_true_is_refused_by_every_operation(world, value):
    refused = []
    for method, url, path in _number_fields():
        response = _send(world.admin, method, _url(url), json.dumps(_body_with(path, value)))
        field = ".".join(map(str, path))
        if response.status_code != 422 or response.json()["errors"].get(field) != [NOT_A_NUMBER]:
            refused.append((method, url, field, response.status_code, response.json()["errors"].get(field)))
    assert refused == []


@pytest.mark.security
def test_the_message_is_in_indonesian_unless_the_caller_chose_english(world):
    body = {"partner_id": world.tala_partner.pk, "product": world.suit.code, "quantity": "1.000",
            "produced_on": "2020-06-01"}
    response = _send(world.tala_officer, "POST", "/api/v1/production/batches", json.dumps(body), language="")
    assert response.status_code == 422
    assert response.json() == {"detail": "Sebagian isian tidak sah.", "errors": {"quantity": [NOT_A_NUMBER_ID]}}


@pytest.mark.security
def test_a_quantity_in_text_records_nothing_and_the_same_as_a_number_is_recorded(world):
    body = {"partner_id": world.tala_partner.pk, "product": world.suit.code, "quantity": "1.000",
            "produced_on": "2020-06-01"}
    assert _send(world.tala_officer, "POST", "/api/v1/production/batches", json.dumps(body)).status_code == 422
    assert not Batch.objects.exists()
    response = _send(world.tala_officer, "POST", "/api/v1/production/batches", json.dumps(body | {"quantity": 1000}))
    assert response.status_code == 201
    assert Batch.objects.get().quantity == 1000
    # Another district's officer is refused the partner whatever the quantity.
    other = _send(world.hsu_officer, "POST", "/api/v1/production/batches", json.dumps(body | {"quantity": 5}))
    assert other.status_code == 422 and "partner_id" in other.json()["errors"]
    assert Batch.objects.count() == 1


@pytest.mark.security
def test_a_price_in_text_lists_nothing_and_decimals_and_whole_numbers_are_taken_as_numbers(world):
    body = {"product": world.suit.code, "title": "Baju hazmat", "price": "185.000", "whatsapp": "0812 5123 0001"}
    response = _send(world.partner_user, "POST", "/api/v1/market/listings", json.dumps(body))
    assert response.status_code == 422 and response.json()["errors"] == {"price": [NOT_A_NUMBER]}
    assert not Listing.objects.exists()
    response = _send(world.partner_user, "POST", "/api/v1/market/listings", json.dumps(body | {"price": 185000}))
    assert response.status_code == 201 and response.json()["price"] == "185000"
    assert Listing.objects.get().price == 185000
    # A count must be whole, and a price has no cents.
    for bad, field in (({"min_order": 2.5}, "min_order"), ({"price": 185000.5}, "price")):
        refused = _send(world.partner_user, "POST", "/api/v1/market/listings", json.dumps(body | {"price": 185000} | bad))
        assert refused.status_code == 422 and set(refused.json()["errors"]) == {field}, refused.json()
    assert Listing.objects.count() == 1


@pytest.mark.security
@pytest.mark.parametrize("price_max, found", [("1.000", None), ("1,000", None), ("-5", None), ("0", None),
                                              ("1000", 0), ("185000", 1)])
def test_the_catalogues_price_filter_takes_digits_only(world, price_max, found):
    Listing.objects.create(partner=world.tala_partner, product=world.suit, title="Baju hazmat", price=185000,
                           whatsapp="+6281251230001")
    response = client_for(None).get("/api/v1/market/catalogue", {"price_max": price_max})
    if found is None:
        assert response.status_code == 422
        assert response.json()["errors"] == {
            "price_max": ["Isikan bilangan bulat paling sedikit 1, dengan angka saja (1000, bukan 1.000)."]}
    else:
        assert response.status_code == 200 and response.json()["count"] == found


@pytest.mark.security
def test_the_schema_says_every_quantity_price_and_count_is_a_number_not_text():
    schema = _openapi()
    textual = []
    for method, url, body in _operations_with_a_body():
        for path, field in _numbers(schema, body):
            if any(option.get("type") == "string" for option in field.get("anyOf", [field])):
                textual.append((method, url, ".".join(map(str, path))))
    assert textual == []


# --- lone surrogates ----------------------------------------------------------------------------------------------

@pytest.mark.security
def test_a_lone_surrogate_in_a_body_is_a_400_for_every_operation(world):
    answers = set()
    for method, url, _body in _operations_with_a_body():
        response = _send(world.admin, method, _url(url), '{"note": "a\\ud800b", "name": "\\udfff"}')
        answers.add((response.status_code, response["Content-Type"], json.dumps(response.json())))
    assert answers == {(400, "application/json; charset=utf-8",
                        json.dumps({"detail": SURROGATE, "errors": {}}))}


@pytest.mark.security
@pytest.mark.parametrize("text", ["IKM a\\ud800b", "IKM \\udc00", "IKM \\ude00\\ud83d"])
def test_a_lone_surrogate_registers_nothing_and_a_pair_is_an_ordinary_character(world, text):
    body = ('{"name": "%s", "nib": "9120001239998", "owner_name": "A", "address": "Jl", '
            '"region_code": "63.01.03.1004", "sector": "garment", "assisting_office_id": %d, '
            '"joined_on": "2020-06-01"}')
    response = _send(world.tala_officer, "POST", "/api/v1/partners", body % (text, world.tala_office.pk))
    assert response.status_code == 400 and response.json() == {"detail": SURROGATE, "errors": {}}
    assert not Partner.objects.filter(nib="9120001239998").exists()
    # A key is text too.
    keyed = _send(world.tala_officer, "POST", "/api/v1/partners", '{"\\ud800": 1}')
    assert keyed.status_code == 400
    # An emoji is a surrogate pair in JSON's escapes, and an ordinary character.
    response = _send(world.tala_officer, "POST", "/api/v1/partners",
                     body % ("IKM \\ud83d\\ude37", world.tala_office.pk))
    assert response.status_code == 201, response.content
    assert Partner.objects.get(nib="9120001239998").name == "IKM \U0001f637"


@pytest.mark.security
def test_a_lone_surrogate_is_refused_in_indonesian_by_default(world):
    response = _send(world.tala_officer, "POST", "/api/v1/partners", '{"name": "\\ud800"}', language="")
    assert response.status_code == 400
    assert response.json()["detail"] == "Teks tidak boleh berisi karakter surrogate tunggal (\\ud800 sampai \\udfff)."


def test_no_two_schemas_share_a_name():
    """The OpenAPI schema names a body or an answer by its class: two classes of one name would document one
    operation with the other's fields."""
    from ninja import Schema

    import sigap.api.api  # noqa: F401 (every app's operations)

    classes, pending = [], [Schema]
    while pending:
        for subclass in pending.pop().__subclasses__():
            pending.append(subclass)
            if subclass.__module__.startswith("sigap.") and subclass.model_fields:  # not a base such as Input
                classes.append(subclass)
    names = [cls.__name__ for cls in classes]
    documented = set(_openapi()["components"]["schemas"])  # query parameters are listed one by one instead
    assert sorted({name for name in names if names.count(name) > 1} & documented) == []
