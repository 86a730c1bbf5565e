#!/usr/bin/env python3
"""Writes the generated Apigee projects the benchmark lints. Output depends on the arguments only.

    gen.py SHAPE FLOWS DIR   one proxy with FLOWS conditional flows (SHAPE: a, b, deep, callout),
                             plus one planted flow that can never run (see PLANTED)
    gen.py many BUNDLES DIR  BUNDLES small bundles in one repository (proxies and shared flows)

Every shape takes FLOWS flows named rN, N = 1..FLOWS, each on the path suffix /rN/*; policies come
from fixed pools, so that the only dimension that grows is the number of flows (and, for `deep`,
the FaultRules that come with them).
"""

import os
import sys

POOL = 20  # policies of each kind a generated proxy shares between its flows
SHARED_FLOWS = 10  # shared flows the `callout` shape calls

# The planted flow, placed last: flow r1 (GET on /r1/*, in every shape) takes every request it
# would match, so `unreachable-flow` should report it, and only it.
PLANTED = "planted-shadowed"
PLANTED_CONDITION = '(proxy.pathsuffix = "/r1/x") and (request.verb = "GET")'

HEADER = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(HEADER + text)


def step(name, condition=None):
    cond = f"<Condition>{condition}</Condition>" if condition else ""
    return f"<Step><Name>{name}</Name>{cond}</Step>"


def flow(name, condition, request):
    return (
        f'<Flow name="{name}"><Condition>{condition}</Condition>'
        f"<Request>{request}</Request><Response></Response></Flow>\n"
    )


def assign_message(name, header):
    return (
        f'<AssignMessage name="{name}"><Set><Headers>'
        f'<Header name="{header}">{name}</Header></Headers></Set>'
        "<IgnoreUnresolvedVariables>true</IgnoreUnresolvedVariables>"
        '<AssignTo createNew="false" transport="http" type="request"/></AssignMessage>\n'
    )


def raise_fault(name, status):
    return (
        f'<RaiseFault name="{name}"><FaultResponse><Set><StatusCode>{status}</StatusCode>'
        "</Set></FaultResponse><IgnoreUnresolvedVariables>true</IgnoreUnresolvedVariables>"
        "</RaiseFault>\n"
    )


def flow_callout(name, bundle):
    return (
        f'<FlowCallout name="{name}"><SharedFlowBundle>{bundle}</SharedFlowBundle></FlowCallout>\n'
    )


def proxy_endpoint(base_path, flows, fault_rules="", preflow=""):
    return (
        f'<ProxyEndpoint name="default">{fault_rules}'
        f"<PreFlow><Request>{preflow}</Request></PreFlow><Flows>\n{flows}</Flows>"
        f"<HTTPProxyConnection><BasePath>{base_path}</BasePath></HTTPProxyConnection>"
        '<RouteRule name="default"><TargetEndpoint>default</TargetEndpoint></RouteRule>'
        "</ProxyEndpoint>\n"
    )


TARGET = (
    '<TargetEndpoint name="default"><HTTPTargetConnection><URL>https://backend.example.com</URL>'
    "</HTTPTargetConnection></TargetEndpoint>\n"
)


def write_proxy(root, name, endpoint, policies):
    """A proxy bundle ROOT/apiproxy with one ProxyEndpoint, one TargetEndpoint and POLICIES."""
    bundle = os.path.join(root, "apiproxy")
    write(os.path.join(bundle, f"{name}.xml"), f'<APIProxy revision="1" name="{name}"/>\n')
    write(os.path.join(bundle, "proxies", "default.xml"), endpoint)
    write(os.path.join(bundle, "targets", "default.xml"), TARGET)
    for policy, text in policies.items():
        write(os.path.join(bundle, "policies", f"{policy}.xml"), text)


def write_shared_flow(root, name, steps, policies):
    bundle = os.path.join(root, "sharedflowbundle")
    write(os.path.join(bundle, f"{name}.xml"), f'<SharedFlowBundle revision="1" name="{name}"/>\n')
    write(
        os.path.join(bundle, "sharedflows", "default.xml"),
        f'<SharedFlow name="default">{steps}</SharedFlow>\n',
    )
    for policy, text in policies.items():
        write(os.path.join(bundle, "policies", f"{policy}.xml"), text)


def two_assigns(n):
    """Shape A's steps: two AssignMessage policies, the second only for ?q=N."""
    return step(f"AM-Tag-{n % POOL}") + step(
        f"AM-Query-{n % POOL}", f'request.queryparam.q = "{n}"'
    )


def assign_pool():
    pool = {f"AM-Tag-{i}": assign_message(f"AM-Tag-{i}", "x-tag") for i in range(POOL)}
    pool.update({f"AM-Query-{i}": assign_message(f"AM-Query-{i}", "x-query") for i in range(POOL)})
    return pool


def shape_a(flows, root):
    body = "".join(
        flow(
            f"r{n}",
            f'(proxy.pathsuffix MatchesPath "/r{n}/*") and (request.verb = "GET")',
            two_assigns(n),
        )
        for n in range(1, flows + 1)
    )
    body += flow(PLANTED, PLANTED_CONDITION, two_assigns(1))
    write_proxy(root, "shape-a", proxy_endpoint("/a", body), assign_pool())


def shape_b(flows, root):
    """Like A, but each flow also takes any verb with its own header: the flows overlap."""
    body = "".join(
        flow(
            f"r{n}",
            f'(proxy.pathsuffix MatchesPath "/r{n}/*") and '
            f'(request.verb = "GET" or request.header.x-m{n} = "y")',
            two_assigns(n),
        )
        for n in range(1, flows + 1)
    )
    body += flow(PLANTED, PLANTED_CONDITION, two_assigns(1))
    write_proxy(root, "shape-b", proxy_endpoint("/b", body), assign_pool())


VERBS = ["GET", "POST", "PUT", "DELETE"]


def deep_steps(n):
    """Two steps whose conditions nest four levels, on headers, query parameters and the verb (a
    10,000-flow proxy stays below oauthlint's 8 MiB limit on a file)."""
    k = n % POOL
    return step(
        f"AM-Tag-{k}",
        f'(request.header.x-tenant = "t{n}") and ((request.queryparam.mode = "full") or '
        f'(request.queryparam.mode = "partial" and not (request.header.x-lite = "1")))',
    ) + step(
        f"RF-Reject-{k}",
        f'(request.verb = "{VERBS[(n - 1) % 4]}") and ((request.header.x-scope = null) or '
        f'((request.header.x-scope != "read") and (request.header.x-scope != "admin{n}")))',
    )


def fault_rules(count):
    """COUNT FaultRules, each for its own x-code, then a DefaultFaultRule."""
    rules = "".join(
        f'<FaultRule name="fault-{i}">'
        + step(f"AM-Tag-{i % POOL}", f'request.header.x-code = "{i}"')
        + step(
            f"RF-Reject-{i % POOL}",
            f'(request.header.x-code = "{i}") and (fault.name = "RaiseFault")',
        )
        + f'<Condition>(fault.name = "RaiseFault") or (fault.name = "InvalidAccessToken{i}")'
        + "</Condition></FaultRule>"
        for i in range(count)
    )
    default = f"{step('AM-Tag-0')}<AlwaysEnforce>true</AlwaysEnforce>"
    return (
        f"<FaultRules>{rules}</FaultRules>"
        f'<DefaultFaultRule name="default">{default}</DefaultFaultRule>'
    )


def shape_deep(flows, root):
    """Deep step conditions on every flow, and one FaultRule for every ten flows."""
    body = "".join(
        flow(
            f"r{n}",
            f'(proxy.pathsuffix MatchesPath "/r{n}/*") and (request.verb = "{VERBS[(n - 1) % 4]}")',
            deep_steps(n),
        )
        for n in range(1, flows + 1)
    )
    body += flow(PLANTED, PLANTED_CONDITION, deep_steps(1))
    policies = assign_pool()
    policies.update({f"RF-Reject-{i}": raise_fault(f"RF-Reject-{i}", 400 + i) for i in range(POOL)})
    write_proxy(
        root,
        "shape-deep",
        proxy_endpoint("/deep", body, fault_rules(max(1, flows // 10))),
        policies,
    )


def shape_callout(flows, root):
    """Each flow calls one of ten shared flows through a FlowCallout; each shared flow calls a
    common one and raises a fault under a condition."""
    body = "".join(
        flow(
            f"r{n}",
            f'(proxy.pathsuffix MatchesPath "/r{n}/*") and (request.verb = "GET")',
            step(f"FC-sf{n % SHARED_FLOWS}")
            + step(f"AM-Query-{n % POOL}", f'request.queryparam.q = "{n}"'),
        )
        for n in range(1, flows + 1)
    )
    body += flow(PLANTED, PLANTED_CONDITION, step("FC-sf1"))
    policies = assign_pool()
    policies.update({f"FC-sf{i}": flow_callout(f"FC-sf{i}", f"sf{i}") for i in range(SHARED_FLOWS)})
    write_proxy(
        os.path.join(root, "proxy"), "shape-callout", proxy_endpoint("/callout", body), policies
    )
    for i in range(SHARED_FLOWS):
        steps = (
            step("FC-common")
            + step(
                f"RF-Denied-{i}",
                f'(request.header.x-sf{i} = "deny") and (request.verb != "OPTIONS")',
            )
            + step(f"AM-Mark-{i}", f'request.queryparam.trace{i} = "1"')
        )
        write_shared_flow(
            os.path.join(root, "sharedflows", f"sf{i}"),
            f"sf{i}",
            steps,
            {
                "FC-common": flow_callout("FC-common", "common"),
                f"RF-Denied-{i}": raise_fault(f"RF-Denied-{i}", 403),
                f"AM-Mark-{i}": assign_message(f"AM-Mark-{i}", "x-mark"),
            },
        )
    write_shared_flow(
        os.path.join(root, "sharedflows", "common"),
        "common",
        step("AM-Common", 'request.header.x-debug = "1"'),
        {"AM-Common": assign_message("AM-Common", "x-common")},
    )


def verify_token(name):
    return (
        f'<OAuthV2 name="{name}"><Operation>VerifyAccessToken</Operation>'
        "<AccessToken>request.header.authorization</AccessToken></OAuthV2>\n"
    )


def many(bundles, root):
    """BUNDLES bundles: one shared flow for every twenty, the rest proxies of five flows, each
    verifying tokens in its PreFlow and calling one of the shared flows."""
    shared = max(1, bundles // 20)
    for i in range(shared):
        write_shared_flow(
            os.path.join(root, "sharedflows", f"common-{i}"),
            f"common-{i}",
            step("OA-Verify") + step("AM-Strip", 'request.verb != "OPTIONS"'),
            {
                "OA-Verify": verify_token("OA-Verify"),
                "AM-Strip": assign_message("AM-Strip", "authorization"),
            },
        )
    for i in range(bundles - shared):
        body = "".join(
            flow(
                f"r{n}",
                f'(proxy.pathsuffix MatchesPath "/r{n}/*") and (request.verb = "{VERBS[n % 4]}")',
                step("AM-Tag") + step("RF-NotFound", f"request.queryparam.id{n} = null"),
            )
            for n in range(1, 6)
        )
        policies = {
            "OA-Verify": verify_token("OA-Verify"),
            "FC-Common": flow_callout("FC-Common", f"common-{i % shared}"),
            "AM-Tag": assign_message("AM-Tag", "x-tag"),
            "RF-NotFound": raise_fault("RF-NotFound", 404),
        }
        preflow = step("OA-Verify") + step("FC-Common")
        write_proxy(
            os.path.join(root, "proxies", f"p{i:04}"),
            f"p{i:04}",
            proxy_endpoint(f"/p{i}", body, "", preflow),
            policies,
        )


SHAPES = {"a": shape_a, "b": shape_b, "deep": shape_deep, "callout": shape_callout}


def main(argv):
    if len(argv) != 4 or argv[1] not in [*SHAPES, "many"]:
        sys.exit(__doc__)
    kind, count, root = argv[1], int(argv[2]), argv[3]
    (many if kind == "many" else SHAPES[kind])(count, root)


if __name__ == "__main__":
    main(sys.argv)
