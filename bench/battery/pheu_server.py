"""What the battery scripts share about running the real binary."""
import http.client
import time


def wait_until_serving(port, attempts=200):
    """Polls /healthz until pheu answers; raises SystemExit after about 10 s."""
    for _ in range(attempts):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            connection.request("GET", "/healthz")
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.05)
    raise SystemExit("pheu did not start")
