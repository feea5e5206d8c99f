"""Creates the spec's schema with SQLAlchemy's own metadata.create_all, using the peer
harness's model builder (peer_sqlalchemy.build_metadata)."""
import json
import sys

import sqlalchemy as sa

import peer_sqlalchemy as peer
import pycommon as pc

spec = json.load(open(sys.argv[1]))
engine = sa.create_engine("postgresql+psycopg2://", creator=lambda: __import__("psycopg2").connect(pc.dsn(sys.argv[2])))
peer.build_metadata(spec, False).create_all(engine)
engine.dispose()
