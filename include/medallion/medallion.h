/*
 * medallion/medallion.h - umbrella header: the whole public API of libmedallion.
 */
#ifndef MEDALLION_MEDALLION_H
#define MEDALLION_MEDALLION_H

#include "medallion/util.h"
#include "medallion/core.h"
#include "medallion/format.h"
#include "medallion/storage.h"
#include "medallion/table.h"
#include "medallion/contract.h"
#include "medallion/quality.h"
#include "medallion/observe.h"
#include "medallion/pipeline.h"
#include "medallion/sql.h"

#endif /* MEDALLION_MEDALLION_H */
