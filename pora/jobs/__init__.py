"""Background jobs every area shares: a job's states, its claim by one worker, its worker's
signs of life, and what happens to a job whose worker ended (uploads, imports, rescreens).
"""
