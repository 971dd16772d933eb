"""`make start` serves JupyterLab on 127.0.0.1 and its printed address opens lesson 00."""

import os
import re
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

from tests.browser.conftest import free_port

ROOT = Path(__file__).parents[1]


def test_make_start_prints_an_address_that_opens_lesson_00():
    port = free_port()
    process = subprocess.Popen(["make", "start", f"PORT={port}"], cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        url = None
        deadline = time.monotonic() + 120
        assert process.stdout is not None
        while url is None and time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line and process.poll() is not None:
                break
            match = re.search(rf"(http://127\.0\.0\.1:{port}/\S+\?token=\w+)", line)
            url = match.group(1) if match else None
        assert url, "make start printed no address"
        assert "/lab/tree/notebooks/00_start_here.ipynb" in url
        page = ""
        for _ in range(40):  # the address is printed as the server starts listening
            try:
                with urllib.request.urlopen(url, timeout=30) as response:
                    page = response.read().decode()
                    break
            except OSError:
                time.sleep(0.5)
        assert "JupyterLab" in page
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
