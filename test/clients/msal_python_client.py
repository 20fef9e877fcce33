"""MSAL for Python (Debian's python3-msal), unmodified, against the emulator.

Signs in one way, then reads and writes the Flow admin API with `requests`, as a script would.
Reads one JSON argument; prints one JSON line per step. For device code it first prints
{"user_code": ...} so the test can approve the sign-in, then polls as MSAL does.
"""
import json
import sys

import msal
import requests

FLOW_SCOPE = "https://service.flow.microsoft.com//.default"


def emit(**fields):
    print(json.dumps(fields), flush=True)


def main():
    config = json.loads(sys.argv[1])
    authority = config["authority"]
    # Another authority than Microsoft's: no instance discovery, no authority validation.
    direct = not authority.startswith("https://login.microsoftonline.com/")
    options = {"authority": authority}
    if direct:
        options.update(validate_authority=False, instance_discovery=False)
    how = config["signIn"]
    if how in ("secret", "certificate"):
        if how == "secret":
            credential = config["secret"]
        else:
            credential = {"private_key": config["privateKey"], "thumbprint": config["thumbprint"]}
        app = msal.ConfidentialClientApplication(config["clientId"], client_credential=credential, **options)
        results = [app.acquire_token_for_client(scopes=[scope]) for scope in config["scopes"]]
    else:
        app = msal.PublicClientApplication(config["clientId"], **options)
        if how == "password":
            result = app.acquire_token_by_username_password(
                config["username"], config["password"], scopes=[config["scopes"][0]]
            )
        else:
            flow = app.initiate_device_flow(scopes=[config["scopes"][0]])
            if "user_code" not in flow:
                emit(error=flow)
                return 1
            emit(user_code=flow["user_code"])
            result = app.acquire_token_by_device_flow(flow)
        results = [result]
        account = app.get_accounts()[0] if "access_token" in result else None
        for scope in config["scopes"][1:]:
            results.append(app.acquire_token_silent([scope], account=account) or {"error": "no account"})
    for result in results:
        if "access_token" not in result:
            emit(error=result.get("error"), description=result.get("error_description"))
            return 1
        emit(token=result["access_token"])

    headers = {"Authorization": "Bearer " + results[0]["access_token"]}
    api = config["flowApi"]
    read = requests.get(api + "/flows?api-version=2016-11-01", headers=headers, timeout=30)
    emit(read=read.status_code, flows=len(read.json().get("value", [])) if read.ok else read.text)
    write = requests.post(api + "/flows/" + config["flow"] + "/stop?api-version=2016-11-01", headers=headers, timeout=30)
    emit(write=write.status_code)
    return 0


if __name__ == "__main__":
    sys.exit(main())
