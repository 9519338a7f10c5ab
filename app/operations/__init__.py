"""Running the shop on a real server: backups and their restore drill, health and readiness,
the operations page, request logs (see README "Running in production" and deploy/)."""
