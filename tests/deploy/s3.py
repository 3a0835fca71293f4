"""A local S3-compatible server for the object-storage tests.

``moto_server`` (moto's stand-alone server, a dev dependency) is started as its
own process on a free port of 127.0.0.1 and spoken to over HTTP with the real
S3 protocol, by boto3 here and by django-storages in the application. Each
test takes a bucket of its own. Every wait is bounded; the process is stopped
when the tests are done.
"""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Any

from tests.deploy.replica import _free_port

WAIT_SECONDS = 30.0
KEY_ID = "motcua-test-key"
SECRET = "motcua-test-secret-not-a-secret"
REGION = "us-east-1"


class LocalS3:
    def __init__(self) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        binary = Path(sys.executable).with_name("moto_server")
        self.process = subprocess.Popen(
            [str(binary), "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + WAIT_SECONDS
        while not self._answers():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"moto_server did not start on {self.url}")
            time.sleep(0.1)

    def _answers(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/moto-api/", timeout=2):
                return True
        except urllib.error.HTTPError:
            return True
        except OSError:
            return False

    def client(self) -> Any:
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.url,
            aws_access_key_id=KEY_ID,
            aws_secret_access_key=SECRET,
            region_name=REGION,
        )

    def new_bucket(self) -> str:
        name = f"motcua-{uuid.uuid4().hex[:12]}"
        self.client().create_bucket(Bucket=name)
        return name

    def env(self, bucket: str) -> dict[str, str]:
        """The environment a deployment sets for this bucket (docs/deploy.md)."""
        return {
            "MOTCUA_S3_BUCKET": bucket,
            "MOTCUA_S3_ENDPOINT_URL": self.url,
            "MOTCUA_S3_REGION": REGION,
            "MOTCUA_S3_ACCESS_KEY_ID": KEY_ID,
            "MOTCUA_S3_SECRET_ACCESS_KEY": SECRET,
            "MOTCUA_S3_ADDRESSING_STYLE": "path",
        }

    def keys(self, bucket: str) -> list[str]:
        listed = self.client().list_objects_v2(Bucket=bucket)
        return sorted(item["Key"] for item in listed.get("Contents", []))

    def body(self, bucket: str, key: str) -> bytes:
        return bytes(self.client().get_object(Bucket=bucket, Key=key)["Body"].read())

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
