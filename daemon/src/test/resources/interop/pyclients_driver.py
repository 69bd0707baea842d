"""Drives the Python clients of the dtn7 ecosystem against a running `dtn7j daemon` for dtn7j's interop test
(io.dtn7j.daemon.PythonClientsInteropTest). Our own script: it only imports dtn7zero (from $DTN7ZERO_HOME, with
py-dtn7 from $DTN7ZERO_HOME/lib/py-dtn7) or py-dtn7 (from $PYDTN7_HOME); nothing of either is shipped with dtn7j.

Every mode prints one line per observation ("KEY value ...") so that the Java test can assert on them, and
exits 0 when it got through, 2 on a timeout. Modes:

  zero-ext-send API_PORT ENDPOINT DEST PAYLOAD
      dtn7zero ExternalEndpoint: register ENDPOINT at the daemon, send PAYLOAD to DEST, unregister.
  zero-ext-recv API_PORT ENDPOINT TIMEOUT_S
      dtn7zero ExternalEndpoint: register ENDPOINT, poll until a bundle arrives, print it, unregister.
  zero-rest-cla API_PORT OWN_NODE_ID REMOTE_NODE_NAME DEST PAYLOAD TIMEOUT_S
      a dtn7zero node whose only link is its Dtn7RsRestCLA to the daemon: send PAYLOAD to DEST, then wait for
      a bundle on its endpoint 'incoming'.
  zero-ipnd OWN_NODE_ID OWN_MTCP_PORT PEER_IPND_PORT DEST PAYLOAD TIMEOUT_S
      a dtn7zero node with IPND (loopback only) and MTCP: wait until IPND found a peer, print it, send PAYLOAD
      to DEST, then wait for a bundle on its endpoint 'incoming'.
  pydtn7-rest API_PORT PEER_NAME
      py-dtn7 DTNRESTClient: node ID, register, send (bytes, text, JSON, by peer name), status routes,
      filtered list, download, fetch_endpoint until "Nothing to receive", unregister.
  pydtn7-ws API_PORT ENDPOINT
      py-dtn7 DTNWSClient: node ID probe, subscribe ENDPOINT in data (CBOR) mode, send to it, switch to JSON
      mode, send again; prints every frame it gets.
"""
import json
import os
import sys
import threading
import time


def out(*words):
    print(*words, flush=True)


def use_dtn7zero():
    home = os.environ['DTN7ZERO_HOME']
    sys.path.insert(0, os.path.join(home, 'lib', 'py-dtn7'))
    sys.path.insert(0, home)


def use_pydtn7():
    sys.path.insert(0, os.environ['PYDTN7_HOME'])


def zero_ext_send(port, endpoint, dest, payload):
    use_dtn7zero()
    from dtn7zero.configuration import CONFIGURATION
    CONFIGURATION.PORT.REST = int(port)
    from dtn7zero.endpoints import ExternalEndpoint
    ep = ExternalEndpoint('127.0.0.1', endpoint)
    out('REGISTERED', endpoint)
    ep.start_transmission(payload.encode('utf-8'), dest, lifetime=60000)
    out('SENT', dest)
    ep.dtn_rest_client.unregister(endpoint)
    out('UNREGISTERED', endpoint)


def zero_ext_recv(port, endpoint, timeout_s):
    use_dtn7zero()
    from dtn7zero.configuration import CONFIGURATION
    CONFIGURATION.PORT.REST = int(port)
    from dtn7zero.endpoints import ExternalEndpoint
    ep = ExternalEndpoint('127.0.0.1', endpoint)
    out('REGISTERED', endpoint)
    out('EMPTY', ep.poll() is None)
    deadline = time.time() + float(timeout_s)
    while time.time() < deadline:
        bundle = ep.poll()
        if bundle is not None:
            out('RECEIVED', bundle.primary_block.full_source_uri, bundle.primary_block.full_destination_uri,
                bundle.payload_block.data.hex())
            ep.dtn_rest_client.unregister(endpoint)
            out('UNREGISTERED', endpoint)
            return 0
        time.sleep(0.1)
    out('TIMEOUT')
    return 2


def zero_node(own_id, clas, nodes):
    from dtn7zero.bundle_protocol_agent import BundleProtocolAgent
    from dtn7zero.endpoints import LocalEndpoint
    from dtn7zero.routers.simple_epidemic_router import SimpleEpidemicRouter
    from dtn7zero.storage.simple_in_memory_storage import SimpleInMemoryStorage
    storage = SimpleInMemoryStorage()
    for n in nodes:
        storage.add_node(n)
    bpa = BundleProtocolAgent(own_id, storage, SimpleEpidemicRouter(clas, storage))
    sender = LocalEndpoint('sender')
    bpa.register_endpoint(sender)
    incoming = LocalEndpoint('incoming')
    bpa.register_endpoint(incoming)
    return bpa, storage, sender, incoming


def await_incoming(bpa, incoming, deadline):
    while time.time() < deadline:
        bpa.update()
        bundle = incoming.poll()
        if bundle is not None:
            out('RECEIVED', bundle.primary_block.full_source_uri, bundle.primary_block.full_destination_uri,
                bundle.payload_block.data.hex())
            return 0
        time.sleep(0.02)
    out('TIMEOUT')
    return 2


def zero_rest_cla(port, own_id, remote_name, dest, payload, timeout_s):
    use_dtn7zero()
    from dtn7zero.configuration import CONFIGURATION
    CONFIGURATION.IPND.ENABLED = False
    from dtn7zero.convergence_layer_adapters.dtn7rs_rest import Dtn7RsRestCLA
    from dtn7zero.data import Node
    remote = Node('127.0.0.1', (1, '//' + remote_name + '/'), {CONFIGURATION.IPND.IDENTIFIER_REST: int(port)}, 0)
    bpa, storage, sender, incoming = zero_node(own_id, {CONFIGURATION.IPND.IDENTIFIER_REST: Dtn7RsRestCLA()}, [remote])
    out('READY')
    sender.start_transmission(payload.encode('utf-8'), dest)
    out('SENT', dest)
    return await_incoming(bpa, incoming, time.time() + float(timeout_s))


def zero_ipnd(own_id, own_mtcp_port, peer_ipnd_port, dest, payload, timeout_s):
    use_dtn7zero()
    from dtn7zero.configuration import CONFIGURATION
    CONFIGURATION.IPND.ENABLED = True
    CONFIGURATION.IPND.INTERFACE_WHITELIST = ['lo']
    CONFIGURATION.IPND.SEND_INTERVAL_MILLISECONDS = 500
    CONFIGURATION.PORT.MTCP = int(own_mtcp_port)
    CONFIGURATION.PORT.IPND = int(peer_ipnd_port)  # where dtn7zero *sends* beacons; it listens on 3003 regardless
    CONFIGURATION.ATTACH_PREVIOUS_NODE_BLOCK = False
    from dtn7zero.convergence_layer_adapters.mtcp import MTcpCLA
    bpa, storage, sender, incoming = zero_node(own_id, {CONFIGURATION.IPND.IDENTIFIER_MTCP: MTcpCLA()}, [])
    # dtn7zero ignores beacons from any of its own addresses, i.e. from every peer on this host. It listens on
    # 3003 and sends to PEER_IPND_PORT, so it never hears itself: forgetting its own addresses is safe here.
    out('OWN_ADDRESSES', ','.join(bpa.ipnd.own_addresses))
    bpa.ipnd.own_addresses = []
    out('READY')
    deadline = time.time() + float(timeout_s)
    while time.time() < deadline and not list(storage.get_nodes()):
        bpa.update()
        time.sleep(0.02)
    nodes = list(storage.get_nodes())
    if not nodes:
        out('TIMEOUT no beacon')
        return 2
    for n in nodes:
        out('DISCOVERED', n.address, '{}:{}'.format(n.eid[0], n.eid[1]), json.dumps(n.clas, sort_keys=True))
    sender.start_transmission(payload.encode('utf-8'), dest)
    out('SENT', dest)
    return await_incoming(bpa, incoming, deadline)


def pydtn7_rest(port, peer_name):
    use_pydtn7()
    from py_dtn7 import Bundle, DTNRESTClient
    c = DTNRESTClient(host='http://127.0.0.1', port=int(port))
    node = c.node_id
    out('NODE_ID', node)
    out('REGISTER', c.register('pyrest').text)
    for payload in (b'bytes payload', 'text payload', {'key': 1}):
        r = c.send(payload=payload, destination=node + 'pyrest', lifetime=60000)
        out('SEND', r.status_code, r.text)
    r = c.send(payload=b'to a peer', peer_name=peer_name, endpoint='inbox')
    out('SEND_PEER', r.status_code, r.text)
    out('EIDS', json.dumps(c.endpoints))
    out('BUNDLES', len(c.bundles))
    out('STORE', json.dumps(c.store))
    info = c.info
    out('INFO', info['incoming'], info['delivered'], info['node']['node_state']['administrative_eid'])
    out('PEERS', json.dumps(c.peers, sort_keys=True))
    out('FILTERED', json.dumps(sorted(c.get_filtered_bundles('dtn://' + peer_name + '/'))))
    for b in sorted(c.get_all_bundles(), key=lambda b: b.bundle_id):
        out('ALL', b.bundle_id, b.primary_block.full_destination_uri, b.payload_block.data.hex())
    first = sorted(c.bundles)[0]
    out('DOWNLOAD', Bundle.from_cbor(c.download(bundle_id=first)).bundle_id)
    _, t, s = first.rsplit('-', 2)
    out('DOWNLOAD_BY_PARTS', Bundle.from_cbor(c.download(node_id=node, time=int(t), seq=int(s))).bundle_id)
    while True:
        raw = c.fetch_endpoint(node + 'pyrest')
        if raw == b'Nothing to receive':
            out('FETCH_DONE')
            break
        b = Bundle.from_cbor(raw)
        out('FETCH', b.primary_block.full_source_uri, b.payload_block.data.hex())
    out('UNREGISTER', c.unregister('pyrest').text)
    return 0


def pydtn7_ws(port, endpoint):
    use_pydtn7()
    import cbor2
    from py_dtn7 import DTNWSClient
    from py_dtn7.dtn_ws_client import WSMode
    frames = []
    got = threading.Event()

    def on_frame(msg):
        frames.append(msg)
        if isinstance(msg, str):
            out('TEXT', msg)
        else:
            try:
                d = cbor2.loads(msg)
                d['data'] = d['data'].hex()
                out('CBOR', json.dumps(d, sort_keys=True))
            except Exception:
                out('JSON', json.dumps(json.loads(msg), sort_keys=True))
            got.set()

    ws = DTNWSClient(callback=on_frame, host='ws://127.0.0.1', port=int(port), endpoints=[endpoint])
    out('NODE_ID', ws.node_id)
    t = threading.Thread(target=ws.start_client, daemon=True)
    t.start()
    deadline = time.time() + 10
    while not ws.running and time.time() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)  # replies to /data and /subscribe are not awaited by the client
    ws.send_data(endpoint, b'ws data mode', lifetime=60000)
    if not got.wait(10):
        out('TIMEOUT data mode')
        return 2
    got.clear()
    ws.mode = WSMode.JSON_MODE
    time.sleep(0.3)
    ws.send_data(endpoint, b'ws json mode', lifetime=60000)
    if not got.wait(10):
        out('TIMEOUT json mode')
        return 2
    time.sleep(0.2)
    ws.stop_client()
    t.join(5)
    out('CLOSED')
    return 0


def main(argv):
    mode, args = argv[1], argv[2:]
    fn = {
        'zero-ext-send': zero_ext_send,
        'zero-ext-recv': zero_ext_recv,
        'zero-rest-cla': zero_rest_cla,
        'zero-ipnd': zero_ipnd,
        'pydtn7-rest': pydtn7_rest,
        'pydtn7-ws': pydtn7_ws,
    }[mode]
    return fn(*args) or 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
