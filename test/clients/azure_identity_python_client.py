"""Azure Identity for Python (Debian's python3-azure), unmodified, against the emulator directly.

Gets tokens for every scope from one credential, then reads and writes the Flow admin API with
`requests`. Reads one JSON argument; prints one JSON line per step.
"""
import json
import sys

import requests
from azure.identity import CertificateCredential, ClientSecretCredential


def emit(**fields):
    print(json.dumps(fields), flush=True)


def main():
    config = json.loads(sys.argv[1])
    # Debian's 1.13 beta names the switch `instance_discovery`; later releases `disable_instance_discovery`.
    options = {"authority": config["authorityHost"], "instance_discovery": False}
    tenant, client = config["tenantId"], config["clientId"]
    if config["signIn"] == "secret":
        credential = ClientSecretCredential(tenant, client, config["secret"], **options)
    else:
        credential = CertificateCredential(
            tenant, client, config["certificatePath"], password=config.get("password"), **options
        )
    tokens = [credential.get_token(scope).token for scope in config["scopes"]]
    for token in tokens:
        emit(token=token)
    headers = {"Authorization": "Bearer " + tokens[0]}
    api = config["flowApi"]
    read = requests.get(api + "/flows?api-version=2016-11-01", headers=headers, timeout=30)
    emit(read=read.status_code)
    write = requests.post(api + "/flows/" + config["flow"] + "/stop?api-version=2016-11-01", headers=headers, timeout=30)
    emit(write=write.status_code)
    return 0


if __name__ == "__main__":
    sys.exit(main())
