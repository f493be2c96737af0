"""`make chaos`: the mixed load with client retries while processes, Kafka and Postgres die."""
