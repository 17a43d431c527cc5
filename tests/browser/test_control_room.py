"""The control room in Chromium, on a real `shop up all`: the overview, an order from the
storefront in every variant, a stopped microservice seen from the storefront and in a trace,
a latency fault in the waterfall, compare, and a cross-site request refused."""

import time

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import VARIANT_NAMES, screenshot

SKU = "MUG-BLUE"


def order_from_storefront(page, variant: str, payment: str = "pm_card_visa"):
    page.goto(page.url.split("#")[0] + "#storefront")
    page.select_option("#shop-variant", variant)
    page.get_by_role("button", name=f"add {SKU}").click()
    page.select_option("#payment", payment)
    page.get_by_role("button", name="Place order").click()
    return page.locator("#order > div")


def state_of(page, process: str):
    return page.locator(f'#variants tr[data-process="{process}"] .state')


def test_the_overview_lists_every_process_of_shop_up_all(page, shop):
    listed = shop.api("GET", "/api/variants").json()
    expected = {v["name"]: [p["name"] for p in v["processes"]] for v in listed}
    assert list(expected) == VARIANT_NAMES
    assert expected["microservices"] == ["catalog", "inventory", "orders", "payments", "notifications",
                                         "relay", "gateway"]
    for name in (name for names in expected.values() for name in names):
        expect(state_of(page, name)).to_have_text("healthy", timeout=30_000)
    screenshot(page, "overview")


@pytest.mark.parametrize("variant", VARIANT_NAMES)
def test_an_order_placed_from_the_storefront(page, variant):
    placed = order_from_storefront(page, variant)
    expect(placed).to_have_class("placed", timeout=20_000)
    expect(placed.locator(".order-status")).to_have_text("confirmed")


def test_a_stopped_payments_service_fails_microservices_orders_only_until_it_is_started(page, shop):
    page.get_by_role("button", name="stop payments").click()
    expect(state_of(page, "payments")).to_have_text("stopped", timeout=30_000)

    refused = order_from_storefront(page, "microservices")
    expect(refused).to_have_class("problem", timeout=20_000)
    expect(refused).to_contain_text("503")
    expect(order_from_storefront(page, "monolith")).to_have_class("placed", timeout=20_000)

    page.goto(page.url.split("#")[0] + "#overview")
    page.get_by_role("button", name="start payments").click()
    expect(state_of(page, "payments")).to_have_text("healthy", timeout=30_000)
    placed = order_from_storefront(page, "microservices")
    expect(placed).to_have_class("placed", timeout=20_000)
    placed.get_by_role("link").click()
    waterfall = page.locator("#waterfall .waterfall")
    expect(waterfall.locator('[data-span="POST /orders"]').first).to_be_visible(timeout=20_000)
    # The spans of each process arrive on their own schedule; the open waterfall grows with them.
    expect(waterfall.locator(".label", has_text="microservices-payments").first).to_be_visible(timeout=20_000)
    screenshot(page, "waterfall")


def test_a_latency_fault_shows_in_the_waterfall(page, shop):
    page.goto(page.url.split("#")[0] + "#faults")
    row = page.locator('#fault-table tr[data-process="monolith"]')
    row.get_by_label("latency of monolith").fill("400")
    row.get_by_role("button", name="apply faults to monolith").click()
    time.sleep(0.5)  # the process reads its faults file at most every 0.2 s
    try:
        placed = order_from_storefront(page, "monolith")
        expect(placed).to_have_class("placed", timeout=20_000)
        placed.get_by_role("link").click()
        expect(page.locator('#waterfall [data-span="fault: +400 ms"]')).to_be_visible(timeout=20_000)
    finally:
        shop.api("DELETE", "/api/processes/monolith/faults")


def test_compare_places_one_order_everywhere_on_one_time_axis(page):
    page.goto(page.url.split("#")[0] + "#compare")
    page.fill("#compare-sku", SKU)
    page.get_by_role("button", name="Place the same order in every variant").click()
    for variant in VARIANT_NAMES:
        result = page.locator(f'.compared[data-variant="{variant}"]')
        expect(result.locator("h3")).to_contain_text("201", timeout=60_000)
        expect(result.locator(".waterfall")).to_be_visible()
    screenshot(page, "compare")


def test_a_cross_site_post_without_the_token_is_refused(browser, shop):
    before = {p["name"]: p["pid"] for v in shop.api("GET", "/api/variants").json() for p in v["processes"]}
    other_site = browser.new_page()
    other_site.set_content("<p>another site</p>")
    outcome = other_site.evaluate("""url => fetch(url, {method: "POST", mode: "no-cors"})
        .then(r => r.type, e => "blocked: " + e)""", f"{shop.control}/api/processes/monolith/kill")
    other_site.close()
    assert outcome in ("opaque",) or outcome.startswith("blocked")
    time.sleep(1)
    after = {p["name"]: p["pid"] for v in shop.api("GET", "/api/variants").json() for p in v["processes"]}
    assert after["monolith"] == before["monolith"]
    refused = shop.api("POST", "/api/processes/monolith/kill", headers={"X-Control-Token": ""})
    assert refused.status_code == 401
