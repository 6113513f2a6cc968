"""Makes one call of the user-pool API with boto3, for the tests of the
local stack: boto3call.py ENDPOINT OPERATION PARAMS_JSON.

It prints {"result": ...} or {"error": {"Code": ..., "Message": ...}} and
exits 0; any other failure exits 1. Retries are off, so a 500 shows.
"""
import json
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError


def main():
    endpoint, operation, params = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    client = boto3.client(
        "cognito-idp",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
        config=Config(retries={"total_max_attempts": 1}),
    )
    try:
        result = getattr(client, operation)(**params)
    except ClientError as e:
        err = e.response["Error"]
        print(json.dumps({"error": {"Code": err.get("Code"), "Message": err.get("Message")}}))
        return
    result.pop("ResponseMetadata", None)
    print(json.dumps({"result": result}, default=str))


if __name__ == "__main__":
    main()
