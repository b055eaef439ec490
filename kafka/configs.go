package kafka

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// ConfigTarget is what a config change is for: a topic, one broker, or
// the cluster-wide broker default (the dynamic value every broker takes
// unless it has its own).
type ConfigTarget struct {
	Topic          string `json:"topic,omitempty"`
	Broker         int32  `json:"broker"`
	ClusterDefault bool   `json:"cluster_default,omitempty"`
}

// TopicTarget is the ConfigTarget of a topic.
func TopicTarget(topic string) ConfigTarget { return ConfigTarget{Topic: topic, Broker: -1} }

// BrokerTarget is the ConfigTarget of broker id.
func BrokerTarget(id int32) ConfigTarget { return ConfigTarget{Broker: id} }

// ClusterDefaultTarget is the ConfigTarget of the cluster-wide broker
// default.
func ClusterDefaultTarget() ConfigTarget { return ConfigTarget{Broker: -1, ClusterDefault: true} }

// IsTopic reports whether the target is a topic.
func (t ConfigTarget) IsTopic() bool { return t.Topic != "" }

// String names the target in a sentence: topic orders, broker 1, the
// cluster-wide broker default.
func (t ConfigTarget) String() string {
	switch {
	case t.IsTopic():
		return "topic " + t.Topic
	case t.ClusterDefault:
		return "the cluster-wide broker default"
	}
	return "broker " + strconv.Itoa(int(t.Broker))
}

// Confirm is the name a user types back to apply a change to the target:
// the topic's name, the broker's id, or "default".
func (t ConfigTarget) Confirm() string {
	switch {
	case t.IsTopic():
		return t.Topic
	case t.ClusterDefault:
		return "default"
	}
	return strconv.Itoa(int(t.Broker))
}

func (t ConfigTarget) resource() (kmsg.ConfigResourceType, string) {
	switch {
	case t.IsTopic():
		return kmsg.ConfigResourceTypeTopic, t.Topic
	case t.ClusterDefault:
		return kmsg.ConfigResourceTypeBroker, ""
	}
	return kmsg.ConfigResourceTypeBroker, strconv.Itoa(int(t.Broker))
}

// SourceWords says where a config's value comes from (Kafka's
// DescribeConfigs source) in the words the UI and the CLI show.
func SourceWords(source string) string {
	switch source {
	case "DYNAMIC_TOPIC_CONFIG":
		return "dynamic topic"
	case "DYNAMIC_BROKER_CONFIG":
		return "dynamic broker"
	case "DYNAMIC_DEFAULT_BROKER_CONFIG":
		return "dynamic default broker"
	case "STATIC_BROKER_CONFIG":
		return "static broker"
	case "DEFAULT_CONFIG":
		return "default"
	case "DYNAMIC_BROKER_LOGGER_CONFIG":
		return "dynamic broker logger"
	case "":
		return ""
	}
	return strings.ToLower(strings.ReplaceAll(strings.TrimSuffix(source, "_CONFIG"), "_", " "))
}

// dynamicSource reports whether the source is a value set at run time
// (incremental alter configs), the ones a reset removes.
func dynamicSource(source string) bool { return strings.HasPrefix(source, "DYNAMIC_") }

// TopicConfigs returns every configuration value of the topic, the ones
// set on the topic (non-default) first, then by name.
func (c *Client) TopicConfigs(ctx context.Context, topic string) ([]ConfigEntry, error) {
	out, err := c.describeConfigs(ctx, TopicTarget(topic))
	if err != nil {
		return nil, err
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].IsDefault != out[j].IsDefault {
			return !out[i].IsDefault
		}
		return out[i].Name < out[j].Name
	})
	return out, nil
}

// BrokerConfigs returns every configuration value of broker id (or, with
// ClusterDefaultTarget, the cluster-wide dynamic defaults), the
// dynamic ones first, then by name. Each says where its value comes from
// and whether it can be changed on a running broker.
func (c *Client) BrokerConfigs(ctx context.Context, target ConfigTarget) ([]ConfigEntry, error) {
	if target.IsTopic() {
		return nil, fmt.Errorf("broker configs: %s is not a broker", target)
	}
	out, err := c.describeConfigs(ctx, target)
	if err != nil {
		return nil, err
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Dynamic != out[j].Dynamic {
			return out[i].Dynamic
		}
		return out[i].Name < out[j].Name
	})
	return out, nil
}

// describeConfigs asks for the target's configs with their synonyms
// (what each falls back to) and read-only flags, which kadm's describe
// leaves out.
func (c *Client) describeConfigs(ctx context.Context, target ConfigTarget) ([]ConfigEntry, error) {
	what := "describe configs of " + target.String()
	typ, name := target.resource()
	req := kmsg.NewPtrDescribeConfigsRequest()
	req.IncludeSynonyms = true
	rr := kmsg.NewDescribeConfigsRequestResource()
	rr.ResourceType, rr.ResourceName = typ, name
	req.Resources = append(req.Resources, rr)
	resp, err := req.RequestWith(ctx, c.cl)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, explain(err))
	}
	if len(resp.Resources) != 1 {
		return nil, fmt.Errorf("%s: the broker answered for %d resources", what, len(resp.Resources))
	}
	res := resp.Resources[0]
	if err := kerr.ErrorForCode(res.ErrorCode); err != nil {
		if target.IsTopic() && errors.Is(err, kerr.UnknownTopicOrPartition) {
			return nil, fmt.Errorf("%s: %w", what, c.unknownTopic(ctx, target.Topic))
		}
		msg := ""
		if res.ErrorMessage != nil {
			msg = *res.ErrorMessage
		}
		return nil, fmt.Errorf("%s: %w", what, explain(brokerSays(err, msg)))
	}
	out := make([]ConfigEntry, 0, len(res.Configs))
	for _, cfg := range res.Configs {
		src := cfg.Source.String()
		e := ConfigEntry{Name: cfg.Name, Source: src, Sensitive: cfg.IsSensitive, ReadOnly: cfg.ReadOnly, Dynamic: dynamicSource(src)}
		if cfg.Value != nil {
			e.Value = *cfg.Value
		}
		if target.IsTopic() {
			e.IsDefault = src != "DYNAMIC_TOPIC_CONFIG"
		} else {
			e.IsDefault = !e.Dynamic
		}
		// The first synonym from another source is what a reset falls
		// back to.
		for _, syn := range cfg.ConfigSynonyms {
			s := syn.Source.String()
			if s == src {
				continue
			}
			e.DefaultSource = s
			if syn.Value != nil {
				e.Default = *syn.Value
			}
			break
		}
		out = append(out, e)
	}
	return out, nil
}

// ConfigChange is one incremental change of a config: set Key to Value
// (as the broker takes it; ParseConfigChange converts human units), or
// Reset it, removing the dynamic value so the default applies again.
type ConfigChange struct {
	Key   string `json:"key"`
	Value string `json:"value,omitempty"`
	Reset bool   `json:"reset,omitempty"`
}

// ParseConfigChange reads KEY=VALUE, the value in the key's human units
// (retention.ms=7d, segment.bytes=100MiB), converted for the broker.
func ParseConfigChange(kv string) (ConfigChange, error) {
	k, v, ok := strings.Cut(kv, "=")
	k = strings.TrimSpace(k)
	if !ok || k == "" {
		return ConfigChange{}, fmt.Errorf("%q: want key=value, e.g. retention.ms=7d", kv)
	}
	val, err := ParseConfigValue(k, v)
	if err != nil {
		return ConfigChange{}, err
	}
	return ConfigChange{Key: k, Value: val}, nil
}

// ConfigDiff is one row of a config plan: the key's value before and
// after, with where each comes from.
type ConfigDiff struct {
	Key       string `json:"key"`
	Old       string `json:"old"`
	OldSource string `json:"old_source"`
	New       string `json:"new"`
	NewSource string `json:"new_source"`
	Reset     bool   `json:"reset,omitempty"`
	Sensitive bool   `json:"sensitive,omitempty"`
	// Known is false for a key the target does not list (a typo, or a
	// key of another kind of resource); the broker's verdict says more.
	Known bool `json:"known"`
}

// ConfigPlan is what a config change will do, checked by the broker
// (ValidateOnly) before anything is written.
type ConfigPlan struct {
	Target  ConfigTarget   `json:"target"`
	Changes []ConfigChange `json:"changes"`
	Rows    []ConfigDiff   `json:"rows"`
	// Valid is the broker's verdict on the change; Problem says why
	// not, in the broker's words when it gave some.
	Valid   bool   `json:"valid"`
	Problem string `json:"problem,omitempty"`
}

// PlanConfigs shows what the changes do to the target, value by value,
// and asks the broker to validate them without applying them.
func (c *Client) PlanConfigs(ctx context.Context, target ConfigTarget, changes []ConfigChange) (ConfigPlan, error) {
	plan := ConfigPlan{Target: target, Changes: changes}
	if len(changes) == 0 {
		return plan, fmt.Errorf("change configs of %s: no change given", target)
	}
	current, err := c.describeConfigs(ctx, target)
	if err != nil {
		return plan, err
	}
	byKey := make(map[string]ConfigEntry, len(current))
	for _, e := range current {
		byKey[e.Name] = e
	}
	var problems []string
	for _, ch := range changes {
		e, known := byKey[ch.Key]
		row := ConfigDiff{Key: ch.Key, Old: e.Value, OldSource: e.Source, Reset: ch.Reset, Sensitive: e.Sensitive, Known: known}
		switch {
		case ch.Reset && e.Dynamic:
			row.New, row.NewSource = e.Default, e.DefaultSource
		case ch.Reset:
			row.New, row.NewSource = e.Value, e.Source // nothing set here: a reset changes nothing
		default:
			row.New = ch.Value
			typ, _ := target.resource()
			row.NewSource = "DYNAMIC_TOPIC_CONFIG"
			if typ == kmsg.ConfigResourceTypeBroker {
				row.NewSource = "DYNAMIC_BROKER_CONFIG"
				if target.ClusterDefault {
					row.NewSource = "DYNAMIC_DEFAULT_BROKER_CONFIG"
				}
			}
		}
		if known && e.ReadOnly && !target.IsTopic() {
			problems = append(problems, fmt.Sprintf("%s is read-only: a running broker cannot change it (set it in server.properties and restart)", ch.Key))
		}
		plan.Rows = append(plan.Rows, row)
	}
	if len(problems) > 0 {
		plan.Problem = strings.Join(problems, "; ")
		return plan, nil
	}
	if err := c.alterConfigs(ctx, target, changes, true); err != nil {
		plan.Problem = err.Error()
		return plan, nil
	}
	plan.Valid = true
	return plan, nil
}

// ErrConfigInvalid is why ApplyConfigs refuses a plan the broker did not
// validate.
var ErrConfigInvalid = errors.New("the broker refused the change")

// ApplyConfigs applies a plan PlanConfigs made and the broker validated.
func (c *Client) ApplyConfigs(ctx context.Context, plan ConfigPlan) error {
	what := "change configs of " + plan.Target.String()
	if err := c.writable(what); err != nil {
		return err
	}
	if !plan.Valid {
		return fmt.Errorf("%s: %w: %s", what, ErrConfigInvalid, plan.Problem)
	}
	if err := c.alterConfigs(ctx, plan.Target, plan.Changes, false); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	c.awaitConfigs(ctx, plan)
	return nil
}

// setSource is the source a value set on the target has.
func (t ConfigTarget) setSource() string {
	switch {
	case t.IsTopic():
		return "DYNAMIC_TOPIC_CONFIG"
	case t.ClusterDefault:
		return "DYNAMIC_DEFAULT_BROKER_CONFIG"
	}
	return "DYNAMIC_BROKER_CONFIG"
}

// awaitConfigs waits, up to a few seconds, until describing the target
// shows the plan applied: a KRaft broker takes the change from the
// metadata log a moment after the controller answers, and a describe
// right after an apply must not show the old value. It gives no error:
// the change is made either way.
func (c *Client) awaitConfigs(ctx context.Context, plan ConfigPlan) {
	ctx, cancel := context.WithTimeout(ctx, min(5*time.Second, c.cfg.timeout()))
	defer cancel()
	src := plan.Target.setSource()
	old := map[string]string{}
	for _, r := range plan.Rows {
		old[r.Key] = r.Old
	}
	applied := func(cur []ConfigEntry) bool {
		for _, ch := range plan.Changes {
			i := slices.IndexFunc(cur, func(e ConfigEntry) bool { return e.Name == ch.Key })
			switch {
			case ch.Reset && (i < 0 || cur[i].Source != src):
			case ch.Reset:
				return false
			case i < 0:
				return false
			case cur[i].Sensitive || cur[i].Value == ch.Value:
			case cur[i].Source == src && cur[i].Value != old[ch.Key]: // the broker normalised it
			default:
				return false
			}
		}
		return true
	}
	for backoff := 20 * time.Millisecond; ; backoff = min(2*backoff, 250*time.Millisecond) {
		if cur, err := c.describeConfigs(ctx, plan.Target); err == nil && applied(cur) {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
	}
}

// alterConfigs sends one incremental alter configs request (validate
// only, or for real) and returns the broker's error with its message.
func (c *Client) alterConfigs(ctx context.Context, target ConfigTarget, changes []ConfigChange, validateOnly bool) error {
	acs := make([]kadm.AlterConfig, 0, len(changes))
	for _, ch := range changes {
		ac := kadm.AlterConfig{Op: kadm.SetConfig, Name: ch.Key}
		if ch.Reset {
			ac.Op = kadm.DeleteConfig
		} else {
			ac.Value = kadm.StringPtr(ch.Value)
		}
		acs = append(acs, ac)
	}
	var resps kadm.AlterConfigsResponses
	var err error
	_, name := target.resource()
	switch {
	case target.IsTopic() && validateOnly:
		resps, err = c.adm.ValidateAlterTopicConfigs(ctx, acs, target.Topic)
	case target.IsTopic():
		resps, err = c.adm.AlterTopicConfigs(ctx, acs, target.Topic)
	case target.ClusterDefault && validateOnly:
		resps, err = c.adm.ValidateAlterBrokerConfigs(ctx, acs)
	case target.ClusterDefault:
		resps, err = c.adm.AlterBrokerConfigs(ctx, acs)
	case validateOnly:
		resps, err = c.adm.ValidateAlterBrokerConfigs(ctx, acs, target.Broker)
	default:
		resps, err = c.adm.AlterBrokerConfigs(ctx, acs, target.Broker)
	}
	if err != nil {
		return explain(err)
	}
	r, err := resps.On(name, nil)
	if err != nil {
		return fmt.Errorf("no answer for %s: %w", target, err)
	}
	if r.Err != nil {
		return brokerSays(r.Err, r.ErrMessage)
	}
	return nil
}

// brokerSays puts the broker's own message first ("Invalid value abc
// for configuration retention.ms: Not a number of type LONG"), Kafka's
// error code after it, kept for errors.Is.
func brokerSays(err error, msg string) error {
	if msg == "" || msg == err.Error() {
		return err
	}
	return fmt.Errorf("%s (%w)", msg, err)
}
