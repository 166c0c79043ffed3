FROM python:3.11-slim
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
ENV STATIC_ROOT=/app/staticfiles
RUN DEBUG=1 DATABASE_URL=postgresql://x@localhost/x REDIS_URL=redis://localhost \
    python manage.py collectstatic --no-input
EXPOSE 8000
