package main

import (
	"charter/model"
	"charter/store/dataset"
)

// reportOptions gives the report the names register (to count
// establishments) and the fictional sample signatories (to say so when
// the database still holds them).
func reportOptions() (model.ReportOptions, error) {
	reg, err := dataset.Names()
	if err != nil {
		return model.ReportOptions{}, err
	}
	samples, err := dataset.Signatories()
	if err != nil {
		return model.ReportOptions{}, err
	}
	return model.ReportOptions{Names: reg, Samples: samples}, nil
}
