"""The WSGI server gunicorn serves (`gunicorn -c gunicorn.conf.py`): the app on $ATLAS_DATA_DIR."""

from app import create_app

server = create_app().server
