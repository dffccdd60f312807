# Firn's server image for docker-compose.yml: the repository installed from its lockfile on a
# Node LTS image (the line CI smoke-tests: .ci/node-smoke.sh), compiled by npm ci's `prepare`,
# started with npm start. Nothing from the host's node_modules, dist or .firn gets in
# (.dockerignore): native modules are built for the image's Node and libc.
FROM node:24.21.0-bookworm
WORKDIR /app
COPY . .
RUN npm ci --no-audit --no-fund
EXPOSE 8080
CMD ["npm", "start"]
