# One image for every Python service of every variant; docker-compose.yml picks each one's command.
FROM python:3.12-slim

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Dependencies first, in their own layer, so a code change does not reinstall them.
COPY pyproject.toml ./
RUN python -c "import tomllib; p = tomllib.load(open('pyproject.toml', 'rb'))['project']; \
print('\n'.join(p['dependencies'] + p['optional-dependencies']['postgres']))" > /tmp/requirements.txt \
 && pip install -r /tmp/requirements.txt

COPY . .
RUN pip install --no-deps . \
 && useradd --create-home --uid 10001 shop \
 && mkdir /data && chown shop /data

# Never root at run time; named volumes mounted on /data inherit its owner.
USER shop
ENV SHOP_DATA_DIR=/data
# No EXPOSE: each service's port is in its compose command, and only entry points publish one.
