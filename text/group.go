package text

// ActiveText says how busy an active group is, "active (1 member, state
// Stable)": the wording of kafka.GroupActiveError, which the dialogs and
// the CLI share.
func ActiveText(members int, state string) string {
	return "active (" + CountOf(members, "member", "members") + ", state " + state + ")"
}
