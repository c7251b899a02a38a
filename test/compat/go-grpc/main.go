package main

import (
	_ "github.com/apache/rocketmq-clients/golang/v5"
)

func main() {}
