"""Local stand-ins for AWS (moto, API Gateway, the SQS event source mapping). Never deployed."""
