FROM python:3.11-slim
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
ENV STATIC_ROOT=/app/staticfiles OTT_VAR_DIR=/data
RUN DEBUG=1 DATABASE_URL=postgresql://x@localhost/x REDIS_URL=redis://localhost \
    python manage.py collectstatic --no-input \
    # An unprivileged user owns only the state directory.
    && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin app \
    && mkdir -p /data && chown app:app /data
USER app
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --retries=3 \
    CMD python -c "import urllib.request as u; u.urlopen('http://127.0.0.1:8000/health/?check=database,redis', timeout=4)"
CMD ["gunicorn", "-c", "gunicorn.conf.py", "ottsite.wsgi"]
