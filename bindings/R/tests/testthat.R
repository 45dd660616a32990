library(testthat)
library(glmmgo)
test_check("glmmgo")
