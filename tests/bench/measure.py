"""The measuring function: the load against one running variant, as a report of numbers."""

from .load import ENDPOINTS, Client, run, seed


def measure(base_url: str, admin_token: str, requests: int = 300, clients: int = 8,
            warmup: int = 20) -> dict:
    """Per endpoint, `requests` timed requests from one client, then `requests` more spread
    over `clients` concurrent clients. Each client first makes `warmup` untimed requests of
    every endpoint, so connections are open and the server's code paths are warm."""
    skus, order_ids = seed(base_url, admin_token), []
    single = [Client(base_url, skus, order_ids)]
    many = [Client(base_url, skus, order_ids) for _ in range(clients)]
    for client in single + many:
        for endpoint in ENDPOINTS:  # POST /orders before GET /orders/{id}: ids to read
            for i in range(warmup):
                client.call(endpoint, i)
    report = {"clients": clients, "sequential": {}, "concurrent": {}}
    for endpoint in ENDPOINTS:
        report["sequential"][endpoint] = run(single, endpoint, requests)
    for endpoint in ENDPOINTS:
        report["concurrent"][endpoint] = run(many, endpoint, requests)
    for client in single + many:
        client.http.close()
    return report
