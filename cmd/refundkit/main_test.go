package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string // in stderr
	}{
		{"no command", nil, "Commands:"},
		{"unknown command", []string{"refund"}, `unknown command "refund"`},
		{"demo argument", []string{"demo", "now"}, `unexpected argument "now"`},
		{"demo unknown flag", []string{"demo", "--fast"}, "flag provided but not defined: -fast"},
		{"inquire no provider", []string{"inquire", "--refund-id", "R1"}, "--provider is required"},
		{"inquire unknown provider", []string{"inquire", "--provider", "paypal", "--refund-id", "R1"}, `unknown provider "paypal"`},
		{"inquire no refund id", []string{"inquire", "--provider", "newpay"}, "--refund-id is required"},
		{"inquire blank refund id", []string{"inquire", "--provider", "newpay", "--refund-id", " "}, "--refund-id is required"},
		{"inquire refund request id not alphapay", []string{"inquire", "--provider", "payermax", "--refund-id", "R1", "--refund-request-id", "RR1"}, "payermax does not take it"},
		{"inquire provider refund id not payermax", []string{"inquire", "--provider", "zalopay", "--refund-id", "R1", "--provider-refund-id", "T1"}, "zalopay does not take it"},
		{"inquire unknown flag", []string{"inquire", "--provider", "newpay", "--refund-id", "R1", "--jsn"}, "flag provided but not defined: -jsn"},
		{"inquire positional", []string{"inquire", "--provider", "newpay", "R1"}, `unexpected argument "R1"`},
		{"inquire flag without value", []string{"inquire", "--provider"}, "flag needs an argument: -provider"},
		{"simulate unknown provider", []string{"simulate", "--provider", "x"}, `unknown provider "x"`},
		{"reconcile no input", []string{"reconcile"}, "--input is required"},
		{"reconcile zero concurrency", []string{"reconcile", "--input", "x.csv", "--concurrency", "0"}, "--concurrency must be at least 1"},
		{"reconcile bad concurrency", []string{"reconcile", "--input", "x.csv", "--concurrency", "many"}, `invalid value "many" for flag -concurrency`},
		{"reconcile poll delay without until final", []string{"reconcile", "--input", "x.csv", "--poll-delay", "1s"}, "need --until-final"},
		{"reconcile negative max age", []string{"reconcile", "--input", "x.csv", "--until-final", "--max-age", "-1s"}, "must be positive"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCmd(t, tt.args...)
			assert.Equal(t, exitUsage, r.code)
			assert.Contains(t, r.stderr, tt.want)
			assert.Empty(t, r.stdout, "usage errors write nothing on stdout")
		})
	}
}

func TestHelp(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"help"}, "Commands:"},
		{[]string{"--help"}, "Commands:"},
		{[]string{"demo", "-h"}, "Usage: refundkit demo"},
		{[]string{"inquire", "--help"}, "Usage: refundkit inquire --provider P"},
		{[]string{"simulate", "-h"}, "-keys-dir directory"},
		{[]string{"reconcile", "-h"}, "line,provider,refund_id,status,provider_status,amount,currency,verified,error_category,error_message"},
	}
	for _, tt := range tests {
		t.Run(tt.args[0], func(t *testing.T) {
			r := runCmd(t, tt.args...)
			assert.Equal(t, exitOK, r.code)
			assert.Contains(t, r.stdout, tt.want)
			assert.Empty(t, r.stderr)
			assert.NotContains(t, r.stdout, "Flags:\n\n", "a Flags: heading with nothing under it")
			assert.False(t, strings.HasSuffix(r.stdout, "Flags:\n"), "a Flags: heading with nothing under it")
		})
	}
}

// demo takes no flags, so its help has no Flags: heading; the others list
// theirs under one.
func TestHelpFlagsHeading(t *testing.T) {
	r := runCmd(t, "demo", "-h")
	assert.NotContains(t, r.stdout, "Flags:")
	assert.True(t, strings.HasSuffix(r.stdout, "Needs no config file and no network beyond loopback.\n"), r.stdout)
	for _, c := range []string{"inquire", "simulate", "reconcile"} {
		r := runCmd(t, c, "-h")
		assert.Regexp(t, "\nFlags:\n  -", r.stdout, c)
	}
}
