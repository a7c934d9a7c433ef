"""Creates the user pool, app clients and users the ministack tests sign in to, and
prints them as JSON. ministack runs with AUTH=true (SECRET_HASH checked), so admin
calls are SigV4-signed with the credentials the test script gave it.
Usage: provision-ministack.py ENDPOINT"""
import json
import sys

import boto3

endpoint = sys.argv[1]
idp = boto3.client(
    "cognito-idp",
    endpoint_url=endpoint,
    region_name="us-east-1",
    aws_access_key_id="test",
    aws_secret_access_key="test-secret",
)

pool = idp.create_user_pool(
    PoolName="typestate-srp",
    AliasAttributes=["email"],
    Policies={"PasswordPolicy": {"MinimumLength": 8}},
)["UserPool"]["Id"]
flows = ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
public = idp.create_user_pool_client(
    UserPoolId=pool, ClientName="public", ExplicitAuthFlows=flows
)["UserPoolClient"]
confidential = idp.create_user_pool_client(
    UserPoolId=pool, ClientName="confidential", ExplicitAuthFlows=flows, GenerateSecret=True
)["UserPoolClient"]

users = {"alice": "Correct-Horse-1", "bob": "pässwörd-ÜÖ-2"}
for name, password in users.items():
    idp.admin_create_user(
        UserPoolId=pool,
        Username=name,
        MessageAction="SUPPRESS",
        UserAttributes=[
            {"Name": "email", "Value": f"{name}@example.com"},
            {"Name": "email_verified", "Value": "true"},
        ],
    )
    idp.admin_set_user_password(UserPoolId=pool, Username=name, Password=password, Permanent=True)

json.dump(
    {
        "user_pool_id": pool,
        "public_client_id": public["ClientId"],
        "confidential_client_id": confidential["ClientId"],
        "confidential_client_secret": confidential["ClientSecret"],
        "users": users,
    },
    sys.stdout,
)
