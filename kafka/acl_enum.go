package kafka

// aclEnum is the names kflow uses for one of Kafka's ACL enums
// (operations, resource types, pattern types, permissions), in the order
// kafka-acls.sh documents them. Its first entry is Any: what a filter
// means by a name it does not list.
type aclEnum[V interface {
	comparable
	String() string
}] []aclName[V]

// aclName is one value of an ACL enum and kflow's name for it.
type aclName[V any] struct {
	name string
	v    V
}

// names are the enum's names, Any (which only filters) left out.
func (e aclEnum[V]) names() []string {
	out := make([]string, 0, len(e))
	for _, n := range e[1:] {
		out = append(out, n.name)
	}
	return out
}

// lookup finds s ignoring case, '-' and '_'.
func (e aclEnum[V]) lookup(s string) (aclName[V], bool) {
	for _, n := range e {
		if fold(s) == fold(n.name) {
			return n, true
		}
	}
	return aclName[V]{}, false
}

// of is the value named exactly s, Any for an unknown or empty name.
func (e aclEnum[V]) of(s string) V {
	for _, n := range e {
		if n.name == s {
			return n.v
		}
	}
	return e[0].v
}

// nameOf is kflow's name for v, or Kafka's for one it does not list.
func (e aclEnum[V]) nameOf(v V) string {
	for _, n := range e {
		if n.v == v {
			return n.name
		}
	}
	return v.String()
}
