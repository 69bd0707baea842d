"""Drives one dtn7zero node for dtn7j's interop test (io.dtn7j.core.interop.Dtn7ZeroInteropTest).

Imports dtn7zero from $DTN7ZERO_HOME (and py-dtn7 from $DTN7ZERO_HOME/lib/py-dtn7); nothing of dtn7zero is
shipped with dtn7j.

usage: dtn7zero_driver.py MODE OWN_NODE_ID OWN_MTCP_PORT PEER_IP PEER_MTCP_PORT PEER_NODE_NAME TIMEOUT_S [DEST PAYLOAD]
  MODE send: send PAYLOAD to DEST over MTCP, keep running until TIMEOUT_S (so retries can happen)
  MODE recv: register endpoint 'incoming', print "RECEIVED <source> <payload hex>" for the first bundle, exit 0
Prints "READY" once its MTCP listener is bound.
"""
import os
import sys
import time

home = os.environ['DTN7ZERO_HOME']
sys.path.insert(0, os.path.join(home, 'lib', 'py-dtn7'))
sys.path.insert(0, home)

from dtn7zero.configuration import CONFIGURATION  # noqa: E402

mode, own_id, own_port, peer_ip, peer_port, peer_name, timeout_s = sys.argv[1:8]
CONFIGURATION.IPND.ENABLED = False
# dtn7zero's forwarding inserts a previous-node block and then numbers the payload block 2 (RFC 9171 §4.3.3
# wants 1), which dtn7j's default validation rejects; see docs/INTEROP.md. 1 keeps dtn7zero's default.
CONFIGURATION.ATTACH_PREVIOUS_NODE_BLOCK = os.environ.get('DTN7ZERO_PREVIOUS_NODE_BLOCK', '0') == '1'
CONFIGURATION.PORT.MTCP = int(own_port)

from dtn7zero.bundle_protocol_agent import BundleProtocolAgent  # noqa: E402
from dtn7zero.convergence_layer_adapters.mtcp import MTcpCLA  # noqa: E402
from dtn7zero.data import Node  # noqa: E402
from dtn7zero.endpoints import LocalEndpoint  # noqa: E402
from dtn7zero.routers.simple_epidemic_router import SimpleEpidemicRouter  # noqa: E402
from dtn7zero.storage.simple_in_memory_storage import SimpleInMemoryStorage  # noqa: E402

storage = SimpleInMemoryStorage()
storage.add_node(Node(peer_ip, (1, '//' + peer_name + '/'), {CONFIGURATION.IPND.IDENTIFIER_MTCP: int(peer_port)}, 0))
router = SimpleEpidemicRouter({CONFIGURATION.IPND.IDENTIFIER_MTCP: MTcpCLA()}, storage)
bpa = BundleProtocolAgent(own_id, storage, router)
print('READY', flush=True)

deadline = time.time() + float(timeout_s)
if mode == 'send':
    endpoint = LocalEndpoint('sender')
    bpa.register_endpoint(endpoint)
    endpoint.start_transmission(sys.argv[9].encode('utf-8'), sys.argv[8])
    while time.time() < deadline:
        bpa.update()
        time.sleep(0.01)
    sys.exit(0)

endpoint = LocalEndpoint('incoming')
bpa.register_endpoint(endpoint)
while time.time() < deadline:
    bpa.update()
    bundle = endpoint.poll()
    if bundle is not None:
        print('RECEIVED {} {}'.format(bundle.primary_block.full_source_uri, bundle.payload_block.data.hex()), flush=True)
        sys.exit(0)
    time.sleep(0.01)
print('TIMEOUT', flush=True)
sys.exit(2)
