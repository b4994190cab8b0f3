"""The fake QuickBooks server itself: that its schema checks bite, and that it behaves like QBO where the
connector relies on it (OAuth rotation, SyncTokens, sparse updates, requestid, query subset, CDC, batch,
throttle answers).  Driven through the unchanged SDKs where they can express the call, raw HTTP otherwise.
"""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from intuitlib.client import AuthClient
from intuitlib.enums import Scopes
from intuitlib.exceptions import AuthClientError
from quickbooks.client import QuickBooks
from quickbooks.exceptions import QuickbooksException
from quickbooks.objects.customer import Customer
from quickbooks.objects.detailline import SalesItemLine, SalesItemLineDetail
from quickbooks.objects.invoice import Invoice

from tests.fakes import qbo_schema
from tests.fakes.qbo_limits import QboLimits
from tests.fakes.qbo_server import FakeQbo

REDIRECT = "http://localhost/callback"


def authorized(fake: FakeQbo) -> AuthClient:
    client = AuthClient(fake.oauth.client_id, fake.oauth.client_secret, REDIRECT, environment=fake.discovery_url)
    redirect = requests.get(client.get_authorization_url([Scopes.ACCOUNTING]), allow_redirects=False, timeout=5)
    query = parse_qs(urlsplit(redirect.headers["Location"]).query)
    client.get_bearer_token(query["code"][0], realm_id=query["realmId"][0])
    return client


@pytest.fixture
def auth(fake):
    return authorized(fake)


@pytest.fixture
def qb(fake, auth, monkeypatch):
    """python-quickbooks as documented: its OAuth2Session needs OAUTHLIB_INSECURE_TRANSPORT for plain HTTP."""
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")
    client = QuickBooks(auth_client=auth, refresh_token=auth.refresh_token, company_id=auth.realm_id, minorversion=75)
    client.api_url_v3 = fake.api_url
    return client


def call(fake, auth, method, path, **kwargs) -> requests.Response:
    headers = {"Authorization": f"Bearer {auth.access_token}", "Accept": "application/json"}
    headers.update(kwargs.pop("headers", {}))
    url = f"{fake.api_url}/company/{auth.realm_id}/{path}"
    return requests.request(method, url, headers=headers, timeout=5, **kwargs)


def query(fake, auth, statement: str) -> dict:
    answer = call(fake, auth, "POST", "query", data=statement, headers={"Content-Type": "application/text"})
    return answer.json()


def sdk_invoice(customer_id: str, amount: float, line_num: int = 1) -> Invoice:
    invoice = Invoice()
    invoice.CustomerRef = Customer.from_json({"Id": customer_id, "DisplayName": "x"}).to_ref()
    line = SalesItemLine()
    line.LineNum, line.Amount, line.SalesItemLineDetail = line_num, amount, SalesItemLineDetail()
    invoice.Line = [line]
    return invoice


# --- the schema checks are real ------------------------------------------------------------------------


def test_a_body_outside_the_xsd_is_refused_and_recorded(fake, auth):
    answer = call(fake, auth, "POST", "customer", json={"DisplayName": "Acme", "Balance": "lots", "Colour": "red"})
    fault = answer.json()["Fault"]
    assert answer.status_code == 400 and fault["type"] == "ValidationFault" and fault["Error"][0]["code"] == "2000"
    assert "invalid value 'lots' for xs:decimal" in fault["Error"][0]["Detail"]
    assert "'Colour' does not match any declared element" in fault["Error"][0]["Detail"]
    assert not fake.company().rows("Customer")
    with pytest.raises(AssertionError, match="outside Intuit's XSD"):
        fake.assert_valid()  # what fails the test at teardown
    fake.violations.clear()


def test_the_sdk_default_line_num_breaks_the_schema(fake, qb):
    """python-quickbooks sends LineNum 0 unless told otherwise; Intuit's XSD says positiveInteger."""
    customer = Customer()
    customer.DisplayName = "Acme"
    customer = customer.save(qb=qb)
    with pytest.raises(QuickbooksException) as refused:
        sdk_invoice(customer.Id, 10, line_num=0).save(qb=qb)
    assert refused.value.error_code == 2000 and "LineNum: value must be positive" in refused.value.detail
    assert len(fake.violations) == 1
    fake.violations.clear()
    assert sdk_invoice(customer.Id, 10).save(qb=qb).TotalAmt == 10.0


def test_the_fakes_own_answers_are_validated(fake, auth):
    row = fake.company().create("Customer", {"DisplayName": "Acme"})
    fake.company().find("Customer", row["Id"])["Balance"] = "a lot"  # a bug in the fake, simulated
    call(fake, auth, "GET", f"customer/{row['Id']}")
    assert fake.violations and "response 200 Customer" in fake.violations[0]
    fake.violations.clear()


@pytest.mark.parametrize(
    ("invoice", "error"),
    [
        ({"CustomerRef": {"value": "1", "colour": "red"}}, "'colour' attribute not allowed"),
        ({"CustomerRef": "1"}, "a JSON object is expected for ReferenceType"),
        ({"Line": {"Amount": 1, "DetailType": "SalesItemLineDetail"}}, "Line: a JSON array is expected"),
        ({"DocNumber": ["1"]}, "DocNumber: a single value is expected"),
        ({"TotalAmt": {"value": 1}}, "TotalAmt: a simpleType element can't have child elements"),
        ({"Line": [{"Amount": 1, "DetailType": "Nonsense"}]}, "DetailType: value must be one of"),
    ],
)
def test_the_json_mapping_keeps_every_xsd_rule(invoice, error):
    ok = {"CustomerRef": {"value": "1", "name": "A"}, "Line": [{"Amount": 1, "DetailType": "SalesItemLineDetail"}]}
    assert qbo_schema.validate("Invoice", ok) == []
    assert any(error in message for message in qbo_schema.validate("Invoice", {**ok, **invoice}))


# --- OAuth ---------------------------------------------------------------------------------------------


def test_refresh_rotates_and_the_old_refresh_token_dies(fake, auth):
    first = auth.refresh_token
    auth.refresh()
    assert auth.refresh_token != first
    with pytest.raises(AuthClientError) as refused:
        auth.refresh(refresh_token=first)
    assert refused.value.status_code == 400 and json.loads(refused.value.content) == {"error": "invalid_grant"}


def test_revoke_ends_api_access(fake, auth):
    assert call(fake, auth, "GET", "account/1").status_code == 200
    auth.revoke()
    answer = call(fake, auth, "GET", "account/1")
    assert answer.status_code == 401 and answer.json()["fault"]["error"][0]["code"] == "3200"


def test_bad_client_secret_and_wrong_realm_are_refused(fake, auth):
    with pytest.raises(AuthClientError) as refused:
        AuthClient(fake.oauth.client_id, "wrong", REDIRECT, environment=fake.discovery_url).refresh("AB11x")
    assert refused.value.status_code == 401
    other = requests.get(
        f"{fake.api_url}/company/1234/account/1", headers={"Authorization": f"Bearer {auth.access_token}"}, timeout=5
    )
    assert other.status_code == 401


def test_access_tokens_expire_on_the_clock(fake, auth, clock):
    clock.advance(3601)
    assert call(fake, auth, "GET", "account/1").status_code == 401


# --- entities ------------------------------------------------------------------------------------------


def test_sync_tokens_increment_and_a_stale_one_is_refused(fake, auth):
    created = call(fake, auth, "POST", "customer", json={"DisplayName": "Acme", "Notes": "first"}).json()["Customer"]
    assert (created["Id"], created["SyncToken"]) == ("1", "0")
    update = {"Id": "1", "SyncToken": "0", "sparse": True, "Notes": "second"}
    assert call(fake, auth, "POST", "customer", json=update).json()["Customer"]["SyncToken"] == "1"
    stale = call(fake, auth, "POST", "customer", json=update)
    assert stale.status_code == 400 and stale.json()["Fault"]["Error"][0]["code"] == "5010"


def test_sparse_update_keeps_other_fields_and_full_update_clears_them(fake, auth):
    call(fake, auth, "POST", "customer", json={"DisplayName": "Acme", "Notes": "keep me", "CompanyName": "Acme"})
    sparse = {"Id": "1", "SyncToken": "0", "sparse": True, "CompanyName": "Acme Ltd"}
    after = call(fake, auth, "POST", "customer", json=sparse).json()["Customer"]
    assert after["Notes"] == "keep me" and after["CompanyName"] == "Acme Ltd"
    full = {"Id": "1", "SyncToken": "1", "DisplayName": "Acme"}
    after = call(fake, auth, "POST", "customer", json=full).json()["Customer"]
    assert "Notes" not in after and "CompanyName" not in after


def test_names_are_unique_across_customers_and_vendors(fake, auth):
    call(fake, auth, "POST", "vendor", json={"DisplayName": "Twin Ltd"})
    answer = call(fake, auth, "POST", "customer", json={"DisplayName": "twin ltd"})
    assert answer.json()["Fault"]["Error"][0]["code"] == "6240"


def test_requestid_replays_the_first_answer(fake, auth):
    body = {"DisplayName": "Acme"}
    first = call(fake, auth, "POST", "customer?requestid=r-1", json=body)
    again = call(fake, auth, "POST", "customer?requestid=r-1", json=body)
    assert first.json()["Customer"] == again.json()["Customer"] and len(fake.company().rows("Customer")) == 1
    assert [c.replayed for c in fake.calls("customer")] == [False, True]


@pytest.mark.parametrize(
    ("kind", "status", "code"),
    [
        ("server_error", 500, "10000"),
        ("stale", 400, "5010"),
        ("duplicate_name", 400, "6240"),
        ("not_found", 400, "610"),
    ],
)
def test_injected_faults_answer_like_qbo(fake, auth, kind, status, code):
    fake.faults.add(kind, endpoint="customer")
    answer = call(fake, auth, "POST", "customer", json={"DisplayName": "Acme"})
    assert answer.status_code == status and answer.json()["Fault"]["Error"][0]["code"] == code
    assert call(fake, auth, "POST", "customer", json={"DisplayName": "Acme"}).status_code == 200  # once only


def test_unknown_object_is_610(fake, auth):
    answer = call(fake, auth, "GET", "invoice/404")
    assert answer.status_code == 400 and answer.json()["Fault"]["Error"][0]["code"] == "610"


def test_payment_links_reduce_the_balance_and_bump_the_invoice(fake, auth):
    company = fake.company()
    customer = company.create("Customer", {"DisplayName": "Acme"})
    line = {"Amount": 100, "DetailType": "SalesItemLineDetail", "SalesItemLineDetail": {"TaxCodeRef": {"value": "2"}}}
    invoice = company.create("Invoice", {"CustomerRef": {"value": customer["Id"]}, "Line": [line]})
    assert invoice["TotalAmt"] == 120.0 and invoice["Line"][-1]["DetailType"] == "SubTotalLineDetail"
    payment = {
        "CustomerRef": {"value": customer["Id"]},
        "TotalAmt": 150,
        "Line": [{"Amount": 120, "LinkedTxn": [{"TxnId": invoice["Id"], "TxnType": "Invoice"}]}],
    }
    paid = call(fake, auth, "POST", "payment", json=payment).json()["Payment"]
    assert paid["UnappliedAmt"] == 30.0
    after = company.read("Invoice", invoice["Id"])
    assert after["Balance"] == 0 and after["SyncToken"] == "1"
    assert after["LinkedTxn"] == [{"TxnId": paid["Id"], "TxnType": "Payment"}]
    too_much = {**payment, "Line": [{"Amount": 1, "LinkedTxn": [{"TxnId": invoice["Id"], "TxnType": "Invoice"}]}]}
    assert call(fake, auth, "POST", "payment", json=too_much).json()["Fault"]["Error"][0]["code"] == "6000"


def test_payment_delete_needs_id_and_current_sync_token_and_a_deleted_one_is_610(fake, auth):
    company = fake.company()
    customer = company.create("Customer", {"DisplayName": "Acme"})
    line = {"Amount": 100, "DetailType": "SalesItemLineDetail", "SalesItemLineDetail": {"TaxCodeRef": {"value": "2"}}}
    invoice = company.create("Invoice", {"CustomerRef": {"value": customer["Id"]}, "Line": [line]})
    link = [{"Amount": 120, "LinkedTxn": [{"TxnId": invoice["Id"], "TxnType": "Invoice"}]}]
    paid = company.create("Payment", {"CustomerRef": {"value": customer["Id"]}, "TotalAmt": 120, "Line": link})
    bumped = company.read("Invoice", invoice["Id"])["SyncToken"]

    def delete(body):
        return call(fake, auth, "POST", "payment", params={"operation": "delete"}, json=body)

    assert delete({"Id": paid["Id"]}).json()["Fault"]["Error"][0]["code"] == "2020", "SyncToken required"
    assert delete({"Id": paid["Id"], "SyncToken": "7"}).json()["Fault"]["Error"][0]["code"] == "5010"
    assert delete({"Id": paid["Id"], "SyncToken": "0", "Bogus": 1}).status_code == 400, "outside the XSD"
    assert len(fake.violations) == 1
    fake.violations.clear()  # that request was meant to break the schema
    gone = delete({"Id": paid["Id"], "SyncToken": "0"})
    assert gone.status_code == 200 and gone.json()["Payment"]["status"] == "Deleted"
    after = company.read("Invoice", invoice["Id"])
    assert (after["Balance"], after.get("LinkedTxn")) == (120.0, []), "the invoice owes again"
    assert after["SyncToken"] != bumped
    again = delete({"Id": paid["Id"], "SyncToken": "0"})
    assert again.status_code == 400 and again.json()["Fault"]["Error"][0]["code"] == "610"


# --- query, CDC, batch ---------------------------------------------------------------------------------


def test_the_query_subset_the_sdk_sends(fake, auth, qb):
    company = fake.company()
    for name in ("Delta", "alpha", "Charlie", "Bravo", "O'Hara"):
        company.create("Customer", {"DisplayName": name})
    company.create("Customer", {"DisplayName": "Zulu", "Active": False})
    assert [c.DisplayName for c in Customer.filter(DisplayName="O'Hara", qb=qb)] == ["O'Hara"]
    page = Customer.where("", order_by="DisplayName DESC", start_position=2, max_results=2, qb=qb)
    assert [c.DisplayName for c in page] == ["Delta", "Charlie"]
    assert [c.DisplayName for c in Customer.choose(["1", "3"], qb=qb)] == ["Delta", "Charlie"]
    assert len(Customer.all(qb=qb)) == 5  # the inactive one is hidden unless asked for
    assert Customer.count("Active IN (true, false)", qb=qb) == 6
    assert Customer.count("DisplayName LIKE '%a%' AND Active = true", qb=qb) == 5
    since = company.find("Customer", "3")["MetaData"]["LastUpdatedTime"]
    assert len(Customer.where(f"MetaData.LastUpdatedTime >= '{since}'", qb=qb)) == 5
    assert query(fake, auth, "SELECT * FROM Customer WHERE")["Fault"]["Error"][0]["code"] == "4000"
    assert query(fake, auth, "SELECT * FROM Nonsense")["Fault"]["Error"][0]["code"] == "4001"


def test_cdc_reports_changes_and_deletions_within_30_days(fake, auth, clock):
    company = fake.company()
    customer = company.create("Customer", {"DisplayName": "Acme"})
    old = company.create("Payment", {"CustomerRef": {"value": customer["Id"]}, "TotalAmt": 5})
    clock.advance(600)
    since = company.stamp()
    kept = company.create("Payment", {"CustomerRef": {"value": customer["Id"]}, "TotalAmt": 7})
    company.delete("Payment", {"Id": old["Id"], "SyncToken": "0"})
    answer = call(fake, auth, "GET", "cdc", params={"entities": "Payment,Customer", "changedSince": since}).json()
    payments, customers = answer["CDCResponse"][0]["QueryResponse"]
    assert [(p["Id"], p.get("status")) for p in payments["Payment"]] == [(kept["Id"], None), (old["Id"], "Deleted")]
    assert customers == {}
    too_old = (dt.datetime.fromisoformat(since) - dt.timedelta(days=31)).isoformat()
    refused = call(fake, auth, "GET", "cdc", params={"entities": "Payment", "changedSince": too_old})
    assert "older than fixed days" in refused.json()["Fault"]["Error"][0]["Detail"]


def test_batch_answers_per_item_and_refuses_more_than_30(fake, auth):
    company = fake.company()
    customer = company.create("Customer", {"DisplayName": "Acme"})
    line = {"Amount": 10, "LineNum": 1, "DetailType": "SalesItemLineDetail", "SalesItemLineDetail": {}}
    good = {"CustomerRef": {"value": customer["Id"]}, "Line": [line]}
    bad = {"CustomerRef": {"value": "999"}, "Line": [line]}
    items = [
        {"bId": "a", "operation": "create", "Invoice": good},
        {"bId": "b", "operation": "create", "Invoice": bad},
        {"bId": "c", "Query": "SELECT * FROM Customer"},
    ]
    answer = call(fake, auth, "POST", "batch", json={"BatchItemRequest": items}).json()["BatchItemResponse"]
    assert [sorted(item) for item in answer] == [["Invoice", "bId"], ["Fault", "bId"], ["QueryResponse", "bId"]]
    assert answer[1]["Fault"]["Error"][0]["code"] == "2500"
    many = [{"bId": str(n), "operation": "create", "Invoice": good} for n in range(31)]
    refused = call(fake, auth, "POST", "batch", json={"BatchItemRequest": many})
    assert refused.status_code == 400 and "maximum of 30" in refused.json()["Fault"]["Error"][0]["Detail"]


# --- throttling ----------------------------------------------------------------------------------------


def test_throttle_answer_is_intuits_xml_and_the_sdk_cannot_read_it(fake, auth, qb):
    fake.faults.add("throttle", times=2, retry_after=3)
    answer = call(fake, auth, "GET", "account/1")
    assert answer.status_code == 429 and answer.headers["Content-Type"].startswith("application/xml")
    assert answer.headers["Retry-After"] == "3" and "ThrottleExceeded" in answer.text
    assert qbo_schema.validate_xml(answer.text) == []
    with pytest.raises(QuickbooksException) as unreadable:  # why the client overrides process_request
        Customer.all(qb=qb)
    assert unreadable.value.error_code == 10000 and "Error reading json response" in unreadable.value.message


def test_limits_when_switched_on(clock):
    with FakeQbo(clock=clock, limits=QboLimits(per_minute=3, batch_per_minute=1)) as fake:
        auth = authorized(fake)
        statuses = [call(fake, auth, "GET", "account/1").status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        clock.advance(60)
        batch = {"BatchItemRequest": [{"bId": "1", "Query": "SELECT * FROM Account"}]}
        assert [call(fake, auth, "POST", "batch", json=batch).status_code for _ in range(2)] == [200, 429]
