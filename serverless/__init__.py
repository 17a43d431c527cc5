"""The serverless variant: Lambda handlers behind API Gateway, with DynamoDB and SQS.

`handlers/` is what AWS runs; `local/` and `runner.py` stand in for AWS on a laptop.
"""
