// Command client-probe drives the OFFICIAL Apache RocketMQ Go client
// (github.com/apache/rocketmq-client-go/v2, Remoting) against a name server and broker and prints
// JSON lines on stdout for the broker compatibility tests (test/compat/client-go.test.ts). It is the
// Go twin of test/compat/java's ClientProbe and keeps its line format.
//
// Build: scripts/compat-go.sh build   (-> test/compat/go/bin/client-probe)
//
// Commands:
//
//	produce <namesrv> <topic> <count> <sync|async|oneway|batch>
//	    [--group G (default compat_go_producer)] [--tag T] [--keys K ("{i}" is replaced by the index;
//	    space-separated keys become several keys)] [--start-index S (default 0)] [--body-size B]
//	    [--send-timeout-ms MS (default 3000)] [--retries R (client default 2)] [--instance NAME]
//	  Body of message i is "msg-<i>" padded with 'x' up to B bytes. batch: SendSync with 16 messages
//	  at a time (SEND_BATCH_MESSAGE). One line per message:
//	    {"i":0,"status":"SEND_OK","msgId":..,"offsetMsgId":..,"queueId":..,"queueOffset":..,"brokerName":..}
//	  (oneway: {"i":0,"sent":true}; batch adds "batch"), then {"done":true,"sent":n,"elapsedMs":t}.
//
//	consume <namesrv> <group> <topic> <expression> <expectedCount> <timeoutMs>
//	    [--from first|last (default first)] [--linger-ms MS] [--instance NAME]
//	  A clustering push consumer with a TAG expression ("*" or "TagA || TagB"). One line per delivery:
//	    {"msgId","offsetMsgId","topic","tags","keys","body","bodyLength","queueId","queueOffset",
//	     "commitLogOffset","reconsumeTimes","bornTimestamp","storeTimestamp","brokerName","bornHost",
//	     "storeHost","properties":{..},"receivedAtMs","consumer","delivery":k,"result":"CONSUME_SUCCESS"}
//	  Stops once expectedCount distinct msgIds (the client's unique key) arrived (plus --linger-ms),
//	  shuts the consumer down (offsets are persisted) and prints
//	    {"done":true,"received":n,"distinct":d,"succeeded":s,"elapsedMs":t}
//	  On timeout: {"error":"timeout",...,"expected":e}, exit 2. expectedCount 0: consume for the whole
//	  timeoutMs, then "done".
//
// stdout carries JSON lines only; the client's rlog goes to stderr at level $COMPAT_GO_LOG_LEVEL
// (default warn). Exit: 0 ok, 2 RocketMQ failure ({"error":..}), 64 usage ({"error":"usage: ..."}).
// The Go client has no option for its route poll (30 s) or rebalance (20 s) intervals, but a push
// consumer fetches its routes, heartbeats and rebalances once at Start, so a topic that exists before
// the consumer starts is consumed at once.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"

	"github.com/apache/rocketmq-client-go/v2/rlog"
)

const (
	exitOK       = 0
	exitRocketMQ = 2
	exitUsage    = 64
)

const usage = "client-probe produce <namesrv> <topic> <count> <sync|async|oneway|batch> [opts]" +
	" | consume <namesrv> <group> <topic> <expression> <expectedCount> <timeoutMs> [opts]" +
	" (see the comment at the top of main.go)"

var (
	emitMu     sync.Mutex
	emitClosed bool // set by the final line: a late callback cannot print after it
	stdout     = json.NewEncoder(os.Stdout)
)

func init() { stdout.SetEscapeHTML(false) }

// emit writes one JSON line to stdout; safe from the client's callback goroutines.
func emit(line map[string]interface{}) {
	emitMu.Lock()
	defer emitMu.Unlock()
	if emitClosed {
		return
	}
	if err := stdout.Encode(line); err != nil {
		_ = stdout.Encode(map[string]interface{}{"error": "unencodable line: " + err.Error()})
	}
}

// emitFinal writes the closing "done" or "error" line; nothing is printed after it.
func emitFinal(line map[string]interface{}) {
	emit(line)
	emitMu.Lock()
	emitClosed = true
	emitMu.Unlock()
}

type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// probeArgs splits positionals from "--name value" options, rejecting unknown options.
type probeArgs struct {
	positional []string
	options    map[string]string
}

func parseArgs(args []string, known ...string) (probeArgs, error) {
	parsed := probeArgs{options: map[string]string{}}
	allowed := map[string]bool{}
	for _, name := range known {
		allowed[name] = true
	}
	for i := 0; i < len(args); i++ {
		if !strings.HasPrefix(args[i], "--") {
			parsed.positional = append(parsed.positional, args[i])
			continue
		}
		if !allowed[args[i]] || i+1 >= len(args) {
			return parsed, usageError{"unknown option or missing value: " + args[i]}
		}
		parsed.options[args[i]] = args[i+1]
		i++
	}
	return parsed, nil
}

func (a probeArgs) str(name, fallback string) string {
	if value, ok := a.options[name]; ok {
		return value
	}
	return fallback
}

func (a probeArgs) integer(name string, fallback int) (int, error) {
	value, ok := a.options[name]
	if !ok {
		return fallback, nil
	}
	return parseInt(name, value)
}

func parseInt(name, value string) (int, error) {
	n, err := strconv.Atoi(value)
	if err != nil {
		return 0, usageError{fmt.Sprintf("%s must be an integer, got %q", name, value)}
	}
	return n, nil
}

func run(args []string) (int, error) {
	if len(args) < 2 {
		return exitUsage, usageError{"need <command> <namesrvAddr> ..."}
	}
	command, namesrv := args[0], args[1]
	switch command {
	case "produce":
		parsed, err := parseArgs(args[2:], "--group", "--tag", "--keys", "--start-index", "--body-size",
			"--send-timeout-ms", "--retries", "--instance")
		if err != nil {
			return exitUsage, err
		}
		return produce(namesrv, parsed)
	case "consume":
		parsed, err := parseArgs(args[2:], "--from", "--linger-ms", "--instance")
		if err != nil {
			return exitUsage, err
		}
		return consume(namesrv, parsed)
	case "sql-produce", "sql-consume":
		return sqlFilter(command, namesrv, args[2:])
	case "request", "reply":
		return requestReply(command, namesrv, args[2:])
	case "transaction":
		parsed, err := parseArgs(args[2:], "--answer", "--expect-checks", "--timeout-ms", "--instance")
		if err != nil {
			return exitUsage, err
		}
		return transaction(namesrv, parsed)
	default:
		return exitUsage, usageError{"unknown command " + command}
	}
}

func main() {
	// logrus writes to stderr; keep the client's INFO chatter out of the test output as well.
	level := os.Getenv("COMPAT_GO_LOG_LEVEL")
	if level == "" {
		level = "warn"
	}
	rlog.SetLogLevel(level)

	code, err := run(os.Args[1:])
	if err != nil {
		if _, isUsage := err.(usageError); isUsage {
			emitFinal(map[string]interface{}{"error": "usage: " + err.Error(), "usage": usage})
			code = exitUsage
		} else {
			emitFinal(map[string]interface{}{"error": err.Error()})
		}
	}
	// The client's goroutines (route polling, heartbeats) may linger; exit explicitly.
	os.Exit(code)
}
